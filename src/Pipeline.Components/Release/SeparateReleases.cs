using Pipeline.Components.Containers;
using Pipeline.Components.Services;
using Pipeline.Engine;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Preflight;

namespace Pipeline.Components.Release;

/// <summary>
/// Services released separately: every service of <c>deploy/config.env</c> has a <c>SERVICE_&lt;NAME&gt;_TAG_PREFIX</c>
/// (the catalog refuses some-but-not-all). Then TagCalVer tags each service this run works on with its own
/// <c>&lt;prefix&gt;vYY.MM.DD.i</c> and Release makes one release per tagged service; otherwise the repository has one
/// CalVer tag per release, whatever its services.
/// </summary>
internal static class SeparateReleases
{
    public static bool Apply(IPipelineBuild build) =>
        build is IServices { HasServices: true } services
        && services.ServiceDefinitions is { Count: > 0 } all
        && all.All(s => s.TagPrefix is not null);

    /// <summary>
    /// The service list (tag prefixes included) is checked before the first tag even when AffectedServices, whose
    /// preflight checks it, is not in the plan (<c>--skip</c>): a bad prefix must not quietly become one repository
    /// tag.
    /// </summary>
    public static void Check(ITagCalVer build, PreflightChecks checks)
    {
        if (
            build is not IServices services
            || !services.HasServices
            || checks.WillRun(nameof(IServices.AffectedServices))
        )
            return;
        foreach (var problem in ServiceCatalog.Read(services).Problems)
            checks.Fail(problem);
    }

    /// <summary>The services to tag in this run (affected and, when BuildImage ran, built), in config order; null when
    /// the repository is released as one.</summary>
    public static IReadOnlyList<ServiceDefinition>? ToTag(ITagCalVer build)
    {
        if (!Apply(build))
            return null;
        var services = (IServices)build;
        var plan =
            services.ServicePlan
            ?? throw new BuildFailure(
                "TagCalVer: AffectedServices has not run in this build "
                    + "(it decides which services are released); do not skip it"
            );
        var built = (build as IBuildImage)?.ServiceImages?.Select(i => i.Service).ToHashSet(StringComparer.Ordinal);
        return services
            .ServiceDefinitions.Where(s => plan.Includes(s.Name) && (built is null || built.Contains(s.Name)))
            .ToList();
    }
}
