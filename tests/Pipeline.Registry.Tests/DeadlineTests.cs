using System.Diagnostics;
using System.Text.RegularExpressions;
using Pipeline.Registry.Archives;
using Pipeline.Registry.Copying;
using Pipeline.Registry.Failover;
using Pipeline.Registry.Remote;

namespace Pipeline.Registry.Tests;

/// <summary>
/// Hangs: a registry that accepts connections and never answers, and one that sends headers and then nothing.
/// Each must end within the silence budget (<see cref="RegistryClientOptions.UnavailableAfter"/>, 3 s here) with one
/// line naming the registry and what stalled, never hang the build. The bound asserted is the budget plus slack for a
/// loaded machine; without the deadlines these cases waited retries × the attempt timeout, or forever for a stalled
/// body.
/// </summary>
public sealed class DeadlineTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(6);
    private static readonly RegistryClientOptions Options = TestOptions.Fast with
    {
        UnavailableAfter = Budget,
        MaxRetries = 5,
    };

    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task A_registry_that_never_answers_counts_as_down_within_the_budget_and_the_push_fails_over()
    {
        using var temp = new TempFolder();
        await using var primary = await RegistryServer.StartAsync();
        await using var silent = await RegistryFaultProxy.StartAsync(primary.Host, FaultPlan.None);
        silent.Rule = (_, _) => ProxyFault.Silent;
        await using var local = await RegistryServer.StartAsync();
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["a.tar"], 2, 50_000),
            temp["layout"]
        );
        var destinations = new[]
        {
            RegistryDestination.ForRegistry("gar", Reference.Parse($"{silent.Host}/p/r/app")),
            RegistryDestination.ForRegistry("local", Reference.Parse($"{local.Host}/p/r/app")),
        };
        var clock = Stopwatch.StartNew();

        var outcome = await new FailoverPusher(new FallbackLedger(temp["ledger"]), Options).PushAsync(
            "staging",
            image.Layout,
            image.Manifest.Digest.ToString(),
            destinations,
            ["s1"]
        );

        clock.Stop();
        Assert.True(outcome.FellBack);
        Assert.Equal("local", outcome.Destination.Name);
        Assert.True(
            clock.Elapsed < Budget + Slack,
            $"failover took {clock.Elapsed.TotalSeconds:F1} s for a {Budget.TotalSeconds} s budget"
        );
        var failure = Assert.Single(outcome.Failures);
        Assert.Contains("no answer for", failure);
        Assert.Contains(silent.Host, failure);
        Assert.Equal(
            image.Manifest.Digest.ToString(),
            await Skopeo.InspectDigestAsync($"docker://{local.Host}/p/r/app:s1")
        );
    }

    [Fact]
    public async Task A_registry_that_answers_only_5xx_counts_as_down_within_the_budget_not_the_backoff_schedule()
    {
        // Production backoffs (0.5 s doubling up to 8 s, 8 retries): the schedule alone would keep retrying for ~40 s.
        await using var sick = SickRegistry.Start(Sickness.ServerErrors);
        using var client = new RegistryClient(
            sick.Host,
            options: new RegistryClientOptions { UnavailableAfter = Budget }
        );
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<RegistryUnavailableException>(() =>
            client.Repository("f/app").ListTagsAsync()
        );

        clock.Stop();
        Assert.True(
            clock.Elapsed < Budget + Slack,
            $"took {clock.Elapsed.TotalSeconds:F1} s for a {Budget.TotalSeconds} s budget"
        );
        Assert.True(
            sick.Requests >= 3,
            $"only {sick.Requests} attempt(s): 5xx answers are worth retrying while the budget lasts"
        );
        // The budget ends either at an answer (the 503 itself is the error) or during the next attempt (the error says
        // the registry stopped answering, and names the 503 it gave before); both name the answer and the budget.
        Assert.Matches(
            $"on {Regex.Escape(sick.Host)}: 503 Service Unavailable|its last answer was 503 Service Unavailable",
            error.Message
        );
        Assert.Contains($"up to {Budget.TotalSeconds:0} s", error.Message);
    }

    [RequiresToolsFact("docker-registry")]
    public async Task A_manifest_answer_that_stops_after_its_headers_is_retried_then_reported_within_the_budget()
    {
        using var temp = new TempFolder();
        await using var registry = await RegistryServer.StartAsync();
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["a.tar"], 1, 10_000),
            temp["layout"]
        );
        using (var direct = new RegistryClient(registry.Host, options: Options))
            await new ImageCopier().CopyAsync(
                image.Layout,
                image.Manifest.Digest.ToString(),
                direct.Repository("h/app"),
                ["v1"]
            );
        await using var proxy = await RegistryFaultProxy.StartAsync(registry.Host, FaultPlan.None);
        proxy.Rule = (method, target) =>
            method == "GET" && target.Contains("/manifests/", StringComparison.Ordinal)
                ? ProxyFault.HangAfterHeaders
                : null;
        using var client = new RegistryClient(proxy.Host, options: Options);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<RegistryUnavailableException>(() =>
            client.Repository("h/app").GetManifestAsync("v1", default)
        );

        clock.Stop();
        Assert.True(
            clock.Elapsed < Budget + Slack,
            $"took {clock.Elapsed.TotalSeconds:F1} s for a {Budget.TotalSeconds} s budget"
        );
        Assert.True(
            proxy.Log.Count(e => e.Fault == ProxyFault.HangAfterHeaders) >= 2,
            "the stalled answer was not retried"
        );
        Assert.Contains("the answer stopped", error.Message);
        Assert.Contains(proxy.Host, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [RequiresToolsFact("docker-registry")]
    public async Task A_source_blob_that_stops_half_way_fails_the_copy_naming_the_source_instead_of_hanging()
    {
        using var temp = new TempFolder();
        await using var source = await RegistryServer.StartAsync();
        await using var target = await RegistryServer.StartAsync();
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["a.tar"], 1, 200_000),
            temp["layout"]
        );
        using (var direct = new RegistryClient(source.Host, options: Options))
            await new ImageCopier().CopyAsync(
                image.Layout,
                image.Manifest.Digest.ToString(),
                direct.Repository("s/app"),
                ["v1"]
            );
        await using var proxy = await RegistryFaultProxy.StartAsync(source.Host, FaultPlan.None);
        proxy.Rule = (method, target) =>
            method == "GET" && target.Contains("/blobs/sha256:", StringComparison.Ordinal)
                ? ProxyFault.HangAfterHeaders
                : null;
        using var from = new RegistryClient(proxy.Host, options: Options);
        using var to = new RegistryClient(target.Host, options: Options);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAnyAsync<RegistryException>(() =>
            new ImageCopier().CopyAsync(from.Repository("s/app"), "v1", to.Repository("t/app"), ["v1"])
        );

        clock.Stop();
        Assert.True(
            clock.Elapsed < Budget + Slack,
            $"took {clock.Elapsed.TotalSeconds:F1} s for a {Budget.TotalSeconds} s budget"
        );
        Assert.IsNotType<RegistryUnavailableException>(error); // the target is fine: no failover for a source's fault
        // The blob's headers come and its body stops; on a loaded machine the silence budget can also run out while
        // the proxy is still sending those headers. Either way the copy ends in time, blaming the source.
        Assert.True(
            error.Message.Contains("the answer stopped", StringComparison.Ordinal)
                || error.Message.Contains("no answer for", StringComparison.Ordinal),
            error.Message
        );
        Assert.Contains(proxy.Host, error.Message);
        Assert.Empty(await to.Repository("t/app").ListTagsAsync());
    }
}
