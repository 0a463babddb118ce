using Pipeline.Components.Containers;
using Pipeline.Engine;

namespace Pipeline.Components.Registry;

/// <summary>
/// PushGhcr: pull-request images to <c>ghcr.io/&lt;owner&gt;/&lt;name&gt;</c> with the tag policy's tags (pr-N), falling over
/// down <c>REGISTRIES_PR</c>. A fork pull request's GITHUB_TOKEN cannot write packages: the target says so and skips.
/// </summary>
public interface IPushGhcr : IRegistryConfig
{
    /// <summary>Where PushGhcr put the pull request's image in this run; null before it ran or when it skipped (fork).</summary>
    PushedImage? GhcrPush => this.Result(() => GhcrPush);

    Target PushGhcr => _ => _
        .Description("Pushes the image archive to GHCR (pull-request images), with failover to the local registry and an archive")
        .TryDependsOn<IBuildImage>(x => x.BuildImage)
        .Produces("artifacts/images/*.push.json")
        .Produces(() => GhcrPush)
        .Executes(async () =>
        {
            if (Host.GitHubActions is { IsForkPullRequest: true })
            {
                // Said plainly instead of a 403 from GHCR: nothing in this run can grant the token packages: write.
                const string why = "this pull request comes from a fork, and GitHub gives fork pull requests a read-only GITHUB_TOKEN (no packages: write)";
                Log.Warn($"PushGhcr skipped: {why}. The image is still built and saved in artifacts/images.");
                Summary.Append($"**PushGhcr** skipped: {why}.");
                Outputs.Set("pr-image-destination", "none (fork pull request)");
                return;
            }

            this.SetResult(() => GhcrPush, await RegistryPushRunner.RunAsync(this, PushPurpose.PullRequest, "PushGhcr"));
        });
}
