using Pipeline.Engine.Parameters;
using Pipeline.Engine.Results;
using Pipeline.Engine.Targets;
using Pipeline.Engine.Workflows;

namespace Pipeline.Components.Deploy;

/// <summary>
/// Rollback: back to the previous release of an environment (or <c>--to v26.11.20.1</c> / <c>--to sha256:…</c>),
/// starting the kept container when there is one, else pulling by digest; all traffic at once, no canary. In a
/// many-service repository it rolls back the services <c>--services</c> (or <c>--all-services</c>) names, each on its
/// own.
/// </summary>
public interface IRollback : IDeploy
{
    [Parameter("Roll back to this tag or digest (default: the release before the live one)"), PublicName]
    string? To => this.Get(() => To);

    /// <summary>What Rollback put back into service in this run (or restored from <c>artifacts/results/</c>); null
    /// before it ran.</summary>
    DeployedRelease? RolledBackRelease => this.Result(() => RolledBackRelease);

    /// <summary>Each service Rollback put back in a many-service repository (the ones <c>--services</c> or
    /// <c>--all-services</c> named); null in a one-image repository.</summary>
    IReadOnlyList<DeployedRelease>? RolledBackServices => this.Result(() => RolledBackServices);

    Target Rollback =>
        _ =>
            _.Description(
                    "Rolls an environment back to its previous release (or "
                        + "--to <tag|digest>), from the kept container when present"
                )
                .Preflight(c => DeployPreflight.CheckSettings(this, c))
                .Preflight(c => DeployPreflight.CheckServices(this, c, nameof(To), To, needsSelection: true))
                .HasSideEffects("starts a kept or pulled container, switches traffic")
                .PreflightBeforeSideEffects(c =>
                    DeployPreflight.CheckReachableAsync(this, c, DeployPreflight.Named(this))
                )
                .Produces(() => RolledBackRelease)
                .Produces(() => RolledBackServices)
                .UsesPermissions(GitHubActionsPermission.DeploymentsWrite)
                .RunsOnEnvironmentRunner()
                .Executes(() => RollbackTarget.RunAsync(this));
}
