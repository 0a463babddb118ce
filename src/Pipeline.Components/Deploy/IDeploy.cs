using Pipeline.Components.Registry;
using Pipeline.Components.Release;
using Pipeline.Components.Services;
using Pipeline.Deploy.Environments;
using Pipeline.Deploy.Rollout;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Paths;
using Pipeline.Engine.Results;
using Pipeline.Engine.Targets;
using Pipeline.Engine.Workflows;

namespace Pipeline.Components.Deploy;

/// <summary>
/// Deploy: the image this build pushed (or <c>--deploy-image</c>), always by digest, to one environment of
/// <c>deploy/config.env</c> — green next to blue, health, canary (production), switch, blue kept for rollback.
/// A release deploys by itself (TriggeredBy Release). Dependents read <see cref="DeployedRelease"/> (environment,
/// digest, tag, commit, container, outcome). The environment's <c>DEPLOY_&lt;NAME&gt;_*</c> keys are read like
/// parameters (environment variable over <c>deploy/config.env</c>) and validated before the build starts. In a
/// many-service repository each pushed service (or, with <c>--deploy-image</c>, each one named by <c>--services</c>)
/// deploys with its own slots, backend, port and health path (<see cref="DeployedServices"/>; docs/deploy.md).
/// </summary>
[ConfigKeyFamily(
    "DEPLOY_",
    Keys = [DeployEnvironmentReader.EnvironmentsSuffix],
    NamedKeys = [
        DeploySettings.Host,
        DeploySettings.CertPath,
        DeploySettings.Registry,
        DeploySettings.Switch,
        DeploySettings.Listen,
        DeploySettings.Backend,
        DeploySettings.Ports,
        DeploySettings.Upstream,
        DeploySettings.HealthPath,
        DeploySettings.HealthTimeout,
        DeploySettings.CanaryWeight,
        DeploySettings.CanaryWindow,
        DeploySettings.CanaryMaxErrors,
        DeploySettings.Keep,
        DeploySettings.RunsOn,
    ]
)]
public interface IDeploy : IRegistryConfig, Pipeline.Components.Shared.IHazGitHub, IServices
{
    [Parameter("Environment to deploy to: one of DEPLOY_ENVIRONMENTS in deploy/config.env", LocalDefault = "local")]
    string DeployEnvironment => this.Get(() => DeployEnvironment, "staging");

    [
        Parameter("Tag or digest to deploy from the environment's registry (default: the digest pushed in this build)"),
        PublicName
    ]
    string? DeployImage => this.Get(() => DeployImage);

    [Parameter("Service name for container names and labels (default: the image name)"), PublicName]
    string? DeployService => this.Get(() => DeployService);

    [Parameter("Switch all traffic at once, without the canary")]
    bool DeployNoCanary => this.Get(() => DeployNoCanary);

    [Parameter("Port the service listens on inside its container")]
    int ServicePort => this.Get(() => ServicePort, Pipeline.Deploy.Environments.DeployEnvironment.DefaultContainerPort);

    [Parameter("Seconds to wait for another run's deploy lock on the environment before refusing (default 60)")]
    int DeployLockTimeout => this.Get(() => DeployLockTimeout, 60);

    [Parameter(
        "Take the environment's deploy lock whoever holds it (a "
            + "run that is gone on another machine); recorded in the ledger"
    )]
    bool ForceUnlock => this.Get(() => ForceUnlock);

    [Parameter(
        "Folder for deploy state (ledger, local switch, private "
            + "podman config); default: deploy/ in the per-user state folder"
    )]
    AbsolutePath? DeployStateDirectory => this.Get(() => DeployStateDirectory);

    /// <summary>
    /// Checks a release before it is deployed (signature, provenance): the supply-chain hook. Called before the first
    /// side effect of Deploy and Rollback; throw <see cref="Pipeline.Deploy.DeployException"/> to refuse. By default
    /// the supply-chain check (signature and provenance) when the build uses <see cref="SupplyChain.ISupplyChain"/>,
    /// else none.
    /// </summary>
    IReleaseVerifier? ReleaseVerifier => this is SupplyChain.ISupplyChain ? new ShippingGateVerifier(this) : null;

    /// <summary>What Deploy put into service in this run (or restored from <c>artifacts/results/</c>); null before it
    /// ran.</summary>
    DeployedRelease? DeployedRelease => this.Result(() => DeployedRelease);

    /// <summary>Each service Deploy put into service in a many-service repository, in config order; null in a one-image
    /// repository. <see cref="DeployedRelease"/> is then IMAGE_NAME's.</summary>
    IReadOnlyList<DeployedRelease>? DeployedServices => this.Result(() => DeployedServices);

    Target Deploy =>
        _ =>
            _.Description(
                    "Deploys the pushed image by digest: green next to blue, "
                        + "health, canary, switch (deploy/config.env environments)"
                )
                .TryAfter<IPushGar>(x => x.PushGar)
                .TryAfter<IRelease>(x => x.Release)
                // a release runs where it is meant to run: production on CI, loopback locally
                .TryTriggeredBy<IRelease>(x => x.Release)
                .Preflight(c => DeployPreflight.CheckSettings(this, c))
                .Preflight(c =>
                    DeployPreflight.CheckServices(
                        this,
                        c,
                        nameof(DeployImage),
                        DeployImage,
                        needsSelection: DeployImage is { Length: > 0 }
                    )
                )
                .HasSideEffects("pulls and starts containers, switches traffic")
                .PreflightBeforeSideEffects(c =>
                    DeployPreflight.CheckReachableAsync(this, c, DeployPreflight.Deploying(this))
                )
                .Produces(() => DeployedRelease)
                .Produces(() => DeployedServices)
                .UsesPermissions(GitHubActionsPermission.DeploymentsWrite) // the GitHub Deployment and its statuses
                .RunsOnEnvironmentRunner() // its sockets are on the environment's own machine: DEPLOY_<ENV>_RUNS_ON
                .Executes(() => DeployTarget.RunAsync(this));
}
