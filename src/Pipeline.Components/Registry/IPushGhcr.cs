using Pipeline.Components.Containers;
using Pipeline.Engine.Results;
using Pipeline.Engine.Targets;
using Pipeline.Engine.Workflows;

namespace Pipeline.Components.Registry;

/// <summary>
/// PushGhcr: pull-request images to <c>ghcr.io/&lt;owner&gt;/&lt;name&gt;</c> with the tag policy's tags (pr-N),
/// falling over down <c>REGISTRIES_PR</c>. A fork pull request's GITHUB_TOKEN cannot write packages: the engine skips
/// the target, saying so once.
/// </summary>
public interface IPushGhcr : IRegistryConfig
{
    /// <summary>Where PushGhcr put the pull request's image in this run; null before it ran or when it skipped
    /// (fork).</summary>
    PushedImage? GhcrPush => this.Result(() => GhcrPush);

    /// <summary>Each service's push in a many-service repository (docs/services.md); null in a one-image repository.
    /// <see cref="GhcrPush"/> is then IMAGE_NAME's.</summary>
    IReadOnlyList<ServicePush>? GhcrServicePushes => this.Result(() => GhcrServicePushes);

    Target PushGhcr =>
        _ =>
            _.Description(
                    "Pushes the image archive to GHCR (pull-request images), "
                        + "with failover to the local registry and an archive"
                )
                .TryDependsOn<IBuildImage>(x => x.BuildImage)
                .Produces("artifacts/images/*.push.json")
                .HasSideEffects("pushes and tags the image in a registry")
                .Preflight(c => RegistryPreflight.Inputs(this, c, PushPurpose.PullRequest, nameof(GhcrHost)))
                .PreflightBeforeSideEffects(c => RegistryPreflight.BeforePushAsync(this, c, PushPurpose.PullRequest))
                .Produces(() => GhcrPush)
                .Produces(() => GhcrServicePushes)
                // a fork pull request's token cannot: the engine skips the target with one line
                .UsesPermissions(GitHubActionsPermission.PackagesWrite)
                .Executes(() => PushGhcrTarget.RunAsync(this));
}
