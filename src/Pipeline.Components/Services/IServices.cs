using Pipeline.Engine;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Results;
using Pipeline.Engine.Targets;

namespace Pipeline.Components.Services;

/// <summary>
/// Many services in one repository: <c>deploy/config.env</c> lists them (<c>SERVICE_NAMES</c>,
/// <c>SERVICE_&lt;NAME&gt;_*</c>; docs/services.md), and AffectedServices decides which of them this run builds and
/// pushes — those whose inputs changed against the base, or the ones named. Without <c>SERVICE_NAMES</c> the repository
/// builds its one image as always and AffectedServices is skipped. <c>$GITHUB_OUTPUT</c>: <c>services</c>, the affected
/// names as a JSON array (a matrix for later jobs).
/// </summary>
[ConfigKeyFamily(
    ServiceSettings.Prefix,
    Keys = [ServiceSettings.Names],
    NamedKeys = [
        ServiceSettings.Context,
        ServiceSettings.Containerfile,
        ServiceSettings.Image,
        ServiceSettings.BuildArgs,
        ServiceSettings.Target,
        ServiceSettings.Port,
        ServiceSettings.HealthPath,
        ServiceSettings.Inputs,
        ServiceSettings.TagPrefix,
        ServiceSettings.Platforms,
    ]
)]
public interface IServices : IPipelineBuild
{
    [Parameter(
        "Services to build, push and deploy (comma separated), whatever "
            + "changed; Rollback and DeployHistory: the services to roll back or show"
    )]
    string[]? Services => this.Get(() => Services);

    [Parameter("Build, push and deploy every service, whatever changed; Rollback: roll back every service")]
    bool AllServices => this.Get(() => AllServices);

    [Parameter(
        "Commit, branch or tag the affected services are measured against (default: the "
            + "pull request's base, or the commit before a push; none locally: all services)"
    )]
    string? BaseRef => this.Get(() => BaseRef);

    [Parameter("Service images built at a time; they share one container engine", Min = 1, Max = 4)]
    int ServiceBuildConcurrency => this.Get(() => ServiceBuildConcurrency, 1);

    /// <summary>True when <c>deploy/config.env</c> (or the environment) lists services: the many-service paths
    /// apply.</summary>
    bool HasServices => ServiceCatalog.IsDeclared(this);

    /// <summary>The services of the configuration, valid (AffectedServices' preflight refuses a bad list before
    /// anything runs).</summary>
    IReadOnlyList<ServiceDefinition> ServiceDefinitions => ServiceCatalog.Read(this).Services;

    /// <summary>
    /// Which services this run works on, and why; null before AffectedServices ran (or in a one-image repository). A
    /// plan restored by <c>--skip AffectedServices</c> (a workflow's plan job) is narrowed to <c>--services</c> when
    /// given: a matrix leg works on its own service only, not on every affected one.
    /// </summary>
    ServicePlan? ServicePlan =>
        this.Result(() => ServicePlan) is { } plan && Services is { Length: > 0 } named
            ? plan.Narrowed(named)
            : this.Result(() => ServicePlan);

    Target AffectedServices =>
        _ =>
            _.Description(
                    "Lists the services this run builds and pushes, and why (changed "
                        + "paths against the base); $GITHUB_OUTPUT services = JSON array"
                )
                // A service selection in a one-image repository is a mistake to name, not to ignore: then the preflight
                // runs.
                .OnlyWhenStatic(
                    () => HasServices || Services is { Length: > 0 } || AllServices,
                    "one-image repository (no SERVICE_NAMES in deploy/config.env)"
                )
                .Preflight(c => ServicePreflight.Check(this, c))
                .Preflight(c => ServicePreflight.CheckBaseRef(this, c))
                .ExplainsPlan(() => AffectedServicesTarget.ExplainAsync(this)) // --plan: which services, and why
                .Produces(() => ServicePlan)
                .Executes(() => AffectedServicesTarget.RunAsync(this));
}
