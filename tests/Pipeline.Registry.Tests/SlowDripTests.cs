using System.Diagnostics;
using Pipeline.Registry.Archives;
using Pipeline.Registry.Copying;
using Pipeline.Registry.Remote;

namespace Pipeline.Registry.Tests;

/// <summary>
/// A registry that answers a byte at a time: every read brings something before its idle deadline, so only the rate
/// floor (<see cref="RegistryClientOptions.MinimumTransferRate"/>) tells it from a working one. It must count as down
/// within the budget, not after the whole body has trickled in (minutes; 71.8 s measured for a build before the floor).
/// </summary>
public sealed class SlowDripTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(6);

    [RequiresToolsFact("docker-registry")]
    public async Task A_manifest_that_trickles_below_the_rate_floor_counts_as_silence_within_the_budget()
    {
        using var temp = new TempFolder();
        var registry = await SharedRegistry.OpenAsync();
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["a.tar"], 1, 10_000),
            temp["layout"]
        );
        using (var direct = new RegistryClient(registry.Host, options: TestOptions.Fast))
            await new ImageCopier().CopyAsync(
                image.Layout,
                image.Manifest.Digest.ToString(),
                direct.Repository(registry.Repository("d/app")),
                ["v1"]
            );
        await using var proxy = await RegistryFaultProxy.StartAsync(registry.Host, FaultPlan.None);
        // A byte every 0.3 s: each read is well inside the 1 s idle time, the whole manifest would take minutes.
        proxy.DripInterval = TimeSpan.FromMilliseconds(300);
        proxy.Rule = (method, path) =>
            method == "GET" && path.Contains("/manifests/", StringComparison.Ordinal) ? ProxyFault.SlowDrip : null;
        using var client = new RegistryClient(proxy.Host, options: TestOptions.Fast with { UnavailableAfter = Budget });
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<RegistryUnavailableException>(() =>
            client.Repository(registry.Repository("d/app")).GetManifestAsync("v1", default)
        );

        clock.Stop();
        Assert.True(
            clock.Elapsed < Budget + Slack,
            $"took {clock.Elapsed.TotalSeconds:F1} s for a {Budget.TotalSeconds} "
                + $"s budget: {error.Message} ({client.Statistics})"
        );
        Assert.Contains("slowed to", error.Message);
        Assert.Contains("floor 1024 bytes/s", error.Message);
        Assert.Contains(proxy.Host, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [RequiresToolsFact("docker-registry")]
    public async Task A_trickle_above_the_floor_is_an_answer()
    {
        using var temp = new TempFolder();
        var registry = await SharedRegistry.OpenAsync();
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["a.tar"], 1, 10_000),
            temp["layout"]
        );
        using (var direct = new RegistryClient(registry.Host, options: TestOptions.Fast))
            await new ImageCopier().CopyAsync(
                image.Layout,
                image.Manifest.Digest.ToString(),
                direct.Repository(registry.Repository("d/app")),
                ["v1"]
            );
        await using var proxy = await RegistryFaultProxy.StartAsync(registry.Host, FaultPlan.None);
        proxy.DripInterval = TimeSpan.FromMilliseconds(50);
        proxy.DripBytes = 64;
        proxy.Rule = (method, path) =>
            method == "GET" && path.Contains("/manifests/", StringComparison.Ordinal) ? ProxyFault.SlowDrip : null;
        // 64 bytes every 50 ms (~1 KB/s at best, less on a busy machine) against a floor of 100 bytes/s: slow, but an
        // answer.
        using var client = new RegistryClient(
            proxy.Host,
            options: TestOptions.Fast with
            {
                UnavailableAfter = Budget,
                MinimumTransferRate = 100,
            }
        );

        var manifest = await client.Repository(registry.Repository("d/app")).GetManifestAsync("v1", default);

        Assert.Equal(image.Manifest.Digest, manifest.Digest);
    }
}
