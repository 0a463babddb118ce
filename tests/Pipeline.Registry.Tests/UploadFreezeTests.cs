using System.Diagnostics;
using Pipeline.Registry.Archives;
using Pipeline.Registry.Failover;
using Pipeline.Registry.Remote;

namespace Pipeline.Registry.Tests;

/// <summary>
/// A registry that freezes in the middle of an upload (it stops reading a chunk and answers nothing from then on) is
/// given up within one budget counted from the freeze: the status GET that follows the stalled PATCH, and the retries
/// of both, spend the same budget (one clock per registry), where each used to start a fresh one (40.6 s for a 30 s
/// budget). The push then fails over. The bound is the budget plus 1.5 s: a fresh budget per request would need at
/// least a third more (one idle time for the PATCH, then a whole budget for the GET).
/// </summary>
public sealed class UploadFreezeTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(6);

    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task A_registry_frozen_mid_upload_is_given_up_within_one_budget_from_the_freeze()
    {
        using var temp = new TempFolder();
        await using var primary = await RegistryServer.StartAsync();
        await using var proxy = await RegistryFaultProxy.StartAsync(primary.Host, FaultPlan.None);
        var patches = 0;
        proxy.Rule = (method, _) =>
        {
            if (proxy.FrozeAt is not null)
                return ProxyFault.Silent;
            return method == "PATCH" && Interlocked.Increment(ref patches) == 2 ? ProxyFault.Freeze : null;
        };
        await using var local = await RegistryServer.StartAsync();
        // The moment the push gives the frozen registry up is the fallback's first request (the fallback push itself
        // takes longer on a loaded machine and is no part of the budget).
        await using var localProxy = await RegistryFaultProxy.StartAsync(local.Host, FaultPlan.None);
        DateTimeOffset? givenUp = null;
        localProxy.Rule = (_, _) =>
        {
            lock (localProxy)
                givenUp ??= DateTimeOffset.UtcNow;
            return null;
        };
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["a.tar"], 1, 4_000_000),
            temp["layout"]
        );
        var destinations = new[]
        {
            RegistryDestination.ForRegistry("gar", Reference.Parse($"{proxy.Host}/p/r/app")),
            RegistryDestination.ForRegistry("local", Reference.Parse($"{localProxy.Host}/p/r/app")),
        };
        var options = TestOptions.Fast with
        {
            UnavailableAfter = Budget,
            ChunkedUploadThreshold = 2_000_000,
            ChunkSize = 1 << 20,
        };

        var outcome = await new FailoverPusher(new FallbackLedger(temp["ledger"]), options).PushAsync(
            "staging",
            image.Layout,
            image.Manifest.Digest.ToString(),
            destinations,
            ["s1"]
        );

        Assert.True(outcome.FellBack);
        Assert.NotNull(proxy.FrozeAt);
        Assert.NotNull(givenUp);
        var sinceFreeze = givenUp!.Value - proxy.FrozeAt!.Value;
        Assert.True(
            sinceFreeze < Budget + TimeSpan.FromSeconds(3),
            $"given up {sinceFreeze.TotalSeconds:F1} s after the freeze, for a {Budget.TotalSeconds} s budget"
        );
        Assert.Contains(proxy.Host, Assert.Single(outcome.Failures));
        Assert.Equal(
            image.Manifest.Digest.ToString(),
            await Skopeo.InspectDigestAsync($"docker://{local.Host}/p/r/app:s1")
        );
    }
}
