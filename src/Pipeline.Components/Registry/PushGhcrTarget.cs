using Pipeline.Components.Services;
using Pipeline.Engine.Results;

namespace Pipeline.Components.Registry;

/// <summary>What the PushGhcr target does: push the pull request's image, or each service's.</summary>
internal static class PushGhcrTarget
{
    public static async Task RunAsync(IPushGhcr build)
    {
        if (build is IServices { HasServices: true })
        {
            var pushes = await ServicePushRun.RunAsync(build, PushPurpose.PullRequest, "PushGhcr");
            ServicePushRun.Finish(
                build,
                pushes,
                "PushGhcr",
                all => build.SetResult(() => build.GhcrServicePushes, all),
                primary => build.SetResult(() => build.GhcrPush, primary)
            );
            return;
        }

        build.SetResult(
            () => build.GhcrPush,
            await RegistryPushRunner.RunAsync(build, PushPurpose.PullRequest, "PushGhcr")
        );
    }
}
