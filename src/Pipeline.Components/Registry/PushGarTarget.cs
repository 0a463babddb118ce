using Pipeline.Components.Services;
using Pipeline.Components.Shared;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Engine.Preflight;
using Pipeline.Engine.Results;

namespace Pipeline.Components.Registry;

/// <summary>What the PushGar target does: choose the purpose, then push the repository's image or each
/// service's.</summary>
internal static class PushGarTarget
{
    public static async Task RunAsync(IPushGar build)
    {
        var purpose =
            build.GarPushPurpose
            ?? (build is IHazReleaseTag { TagsInThisRun: true } ? PushPurpose.Release : PushPurpose.Staging);
        if (purpose is not (PushPurpose.Staging or PushPurpose.Release))
            throw new BuildFailure(
                $"{RegistryDestinations.Describe(nameof(IPushGar.GarPushPurpose))}: "
                    + $"PushGar pushes staging or release images, not {purpose.Key()}"
            );
        var tagCalVer = purpose == PushPurpose.Release ? "runs" : "does not run";
        var why = build.GarPushPurpose is null
            ? $"TagCalVer {tagCalVer} in this build; --gar-push-purpose to choose"
            : "--gar-push-purpose";
        Log.Info($"PushGar: {purpose.Key()} push ({why})");
        if (build is IServices { HasServices: true })
        {
            var pushes = await ServicePushRun.RunAsync(build, purpose, "PushGar");
            ServicePushRun.Finish(
                build,
                pushes,
                "PushGar",
                all => build.SetResult(() => build.GarServicePushes, all),
                primary => build.SetResult(() => build.GarPush, primary)
            );
            return;
        }

        build.SetResult(() => build.GarPush, await RegistryPushRunner.RunAsync(build, purpose, "PushGar"));
    }

    /// <summary>The purpose as preflight sees it (the plan is known, nothing has run): TagCalVer still to run means a
    /// release.</summary>
    public static PushPurpose PlannedPurpose(IPushGar build, PreflightChecks checks) =>
        build.GarPushPurpose ?? (checks.WillRun("TagCalVer") ? PushPurpose.Release : PushPurpose.Staging);
}
