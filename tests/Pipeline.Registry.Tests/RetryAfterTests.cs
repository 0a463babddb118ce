using System.Diagnostics;
using Pipeline.Registry.Archives;
using Pipeline.Registry.Failover;
using Pipeline.Registry.Remote;

namespace Pipeline.Registry.Tests;

/// <summary>
/// A 429 (or 503) whose Retry-After asks for more than the registry's budget has left is not waited for: the push fails
/// over at once, instead of 8 retries 120 s apart (16 minutes per request). A short Retry-After is still honoured.
/// Production options (30 s budget, 8 retries, 0.5 s backoff): the defaults are what is under test.
/// </summary>
public sealed class RetryAfterTests
{
    [RequiresToolsTheory("docker-registry", "skopeo")]
    [InlineData(ProxyFault.Throttle)]
    [InlineData(ProxyFault.ServerError)]
    public async Task A_retry_after_beyond_the_budget_fails_over_at_once(ProxyFault fault)
    {
        using var temp = new TempFolder();
        var primary = await SharedRegistry.OpenAsync();
        await using var proxy = await RegistryFaultProxy.StartAsync(primary.Host, FaultPlan.None);
        proxy.RetryAfterSeconds = 120;
        proxy.Rule = (_, path) => path == "/v2/" ? null : fault;
        var local = await SharedRegistry.OpenOtherAsync();
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["a.tar"], 2, 50_000),
            temp["layout"]
        );
        var destinations = new[]
        {
            RegistryDestination.ForRegistry("ghcr", Reference.Parse($"{proxy.Host}/{primary.Repository("o/app")}")),
            RegistryDestination.ForRegistry("local", Reference.Parse(local.Reference("o/app"))),
        };
        var clock = Stopwatch.StartNew();

        var outcome = await new FailoverPusher(
            new FallbackLedger(temp["ledger"]),
            new RegistryClientOptions()
        ).PushAsync("pr", image.Layout, image.Manifest.Digest.ToString(), destinations, ["pr-1"]);

        clock.Stop();
        Assert.True(outcome.FellBack);
        Assert.True(
            clock.Elapsed < TimeSpan.FromSeconds(10),
            $"failover took {clock.Elapsed.TotalSeconds:F1} s: the Retry-After of 120 s was waited for"
        );
        // One refusal per request in flight (the blobs' HEADs run in parallel), none retried.
        var refused = proxy.Log.Count(e => e.Fault == fault);
        Assert.InRange(refused, 1, image.Manifest.AsManifest().Blobs.Count());
        var failure = Assert.Single(outcome.Failures);
        Assert.Contains("asked to retry after 120 s", failure);
        Assert.Contains(proxy.Host, failure);
        Assert.Equal(
            image.Manifest.Digest.ToString(),
            await Skopeo.InspectDigestAsync($"docker://{local.Reference("o/app")}:pr-1")
        );
    }

    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task A_short_retry_after_is_waited_for_and_the_push_lands_on_the_primary()
    {
        using var temp = new TempFolder();
        var primary = await SharedRegistry.OpenAsync();
        await using var proxy = await RegistryFaultProxy.StartAsync(primary.Host, FaultPlan.None);
        proxy.RetryAfterSeconds = 1;
        var throttled = 0;
        proxy.Rule = (_, path) =>
            path != "/v2/" && Interlocked.Increment(ref throttled) <= 2 ? ProxyFault.Throttle : null;
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["a.tar"], 1, 50_000),
            temp["layout"]
        );
        var destinations = new[]
        {
            RegistryDestination.ForRegistry("ghcr", Reference.Parse($"{proxy.Host}/{primary.Repository("o/app")}")),
        };

        var outcome = await new FailoverPusher(
            new FallbackLedger(temp["ledger"]),
            new RegistryClientOptions()
        ).PushAsync("pr", image.Layout, image.Manifest.Digest.ToString(), destinations, ["pr-1"]);

        Assert.False(outcome.FellBack);
        Assert.Equal(2, proxy.Throttled);
        Assert.Equal(
            image.Manifest.Digest.ToString(),
            await Skopeo.InspectDigestAsync($"docker://{primary.Reference("o/app")}:pr-1")
        );
    }
}
