using Pipeline.Registry.Archives;
using Pipeline.Registry.Copying;
using Pipeline.Registry.Remote;

namespace Pipeline.Registry.Tests;

/// <summary>
/// Pushes through <see cref="RegistryFaultProxy"/> (random 503, 429 + Retry-After, dropped connections before and
/// after the registry handled the request, slow answers) must still land the exact image; skopeo checks it on the
/// registry directly, behind the proxy's back.
/// </summary>
public sealed class ResilienceTests
{
    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task A_push_through_a_faulty_proxy_produces_the_right_digest()
    {
        using var temp = new TempFolder();
        var registry = await SharedRegistry.OpenAsync();
        await using var proxy = await RegistryFaultProxy.StartAsync(
            registry.Host,
            new FaultPlan(
                ServerErrorRate: 0.12,
                ThrottleRate: 0.05,
                DropBeforeRate: 0.06,
                DropAfterRate: 0.06,
                SlowRate: 0.1,
                RetryAfterSeconds: 1,
                SlowDelay: TimeSpan.FromMilliseconds(150)
            ),
            seed: 7
        );
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["a.tar"], 5, 400_000),
            temp["layout"]
        );
        // Chunked for the large layers, so resume-after-failure is exercised too.
        var options = TestOptions.Fast with
        {
            ChunkedUploadThreshold = 300_000,
            ChunkSize = 100_000,
            MaxRetries = 10,
        };
        using var client = new RegistryClient(proxy.Host, options: options);

        var result = await new ImageCopier().CopyAsync(
            image.Layout,
            image.Manifest.Digest.ToString(),
            client.Repository(registry.Repository("flaky/app")),
            ["v1"]
        );

        Assert.True(proxy.FaultsInjected >= 5, $"the proxy injected only {proxy.FaultsInjected} faults");
        Assert.True(client.Statistics.Retries > 0);
        Assert.Equal(image.Manifest.Digest, result.Digest);
        Assert.Equal(
            image.Manifest.Digest.ToString(),
            await Skopeo.InspectDigestAsync($"docker://{registry.Reference("flaky/app")}:v1")
        );
        // Every blob is whole: skopeo copies it out, verifying each layer's digest.
        await Skopeo.CopyAsync($"docker://{registry.Reference("flaky/app")}:v1", $"oci:{temp["check"]}:v1");
    }

    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task A_copy_from_a_registry_into_a_faulty_one_produces_the_right_digest()
    {
        // Each blob's source GET is opened while its upload session is: failed sessions must close it and start over.
        using var temp = new TempFolder();
        var source = await SharedRegistry.OpenAsync();
        var target = await SharedRegistry.OpenOtherAsync();
        await using var proxy = await RegistryFaultProxy.StartAsync(
            target.Host,
            new FaultPlan(
                ServerErrorRate: 0.15,
                DropBeforeRate: 0.08,
                DropAfterRate: 0.08,
                SlowRate: 0.1,
                SlowDelay: TimeSpan.FromMilliseconds(150)
            ),
            seed: 11
        );
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["a.tar"], 5, 400_000),
            temp["layout"]
        );
        using var from = new RegistryClient(source.Host, options: TestOptions.Fast);
        await new ImageCopier().CopyAsync(
            image.Layout,
            image.Manifest.Digest.ToString(),
            from.Repository(source.Repository("src/app")),
            ["v1"]
        );
        using var to = new RegistryClient(proxy.Host, options: TestOptions.Fast with { MaxRetries = 10 });

        var result = await new ImageCopier().CopyAsync(
            from.Repository(source.Repository("src/app")),
            "v1",
            to.Repository(target.Repository("dst/app")),
            ["v1"]
        );

        Assert.True(proxy.FaultsInjected >= 3, $"the proxy injected only {proxy.FaultsInjected} faults");
        Assert.Equal(image.Manifest.Digest, result.Digest);
        Assert.Equal(
            image.Manifest.Digest.ToString(),
            await Skopeo.InspectDigestAsync($"docker://{target.Reference("dst/app")}:v1")
        );
        await Skopeo.CopyAsync($"docker://{target.Reference("dst/app")}:v1", $"oci:{temp["check"]}:v1");
    }

    [RequiresToolsFact("docker-registry")]
    public async Task Retry_After_is_honoured_on_429()
    {
        using var temp = new TempFolder();
        var registry = await SharedRegistry.OpenAsync();
        await using var proxy = await RegistryFaultProxy.StartAsync(
            registry.Host,
            new FaultPlan(ThrottleRate: 1, RetryAfterSeconds: 1)
        );
        using var client = new RegistryClient(proxy.Host, options: TestOptions.Fast with { MaxRetries = 2 });
        var started = DateTime.UtcNow;

        var error = await Assert.ThrowsAsync<RegistryUnavailableException>(() =>
            client.Repository(registry.Repository("x/y")).ListTagsAsync()
        );

        // Two retries, each after the asked-for second (our own backoff would be 20-40 ms).
        Assert.True(
            DateTime.UtcNow - started >= TimeSpan.FromSeconds(1.9),
            $"waited only {(DateTime.UtcNow - started).TotalSeconds:F1}s"
        );
        Assert.Contains("429", error.Message);
        Assert.Contains("rate limit: 100 requests per minute", error.Message); // the registry's allowance text is shown
        Assert.Equal(3, proxy.Throttled);
    }

    [RequiresToolsFact("docker-registry")]
    public async Task A_429_asking_for_longer_than_allowed_is_not_waited_for()
    {
        var registry = await SharedRegistry.OpenAsync();
        await using var proxy = await RegistryFaultProxy.StartAsync(
            registry.Host,
            new FaultPlan(ThrottleRate: 1, RetryAfterSeconds: 3600)
        );
        using var client = new RegistryClient(
            proxy.Host,
            options: TestOptions.Fast with
            {
                MaxRetryAfter = TimeSpan.FromSeconds(5),
            }
        );

        var error = await Assert.ThrowsAsync<RegistryUnavailableException>(() =>
            client.Repository(registry.Repository("x/y")).ListTagsAsync()
        );

        Assert.Equal(1, proxy.Throttled);
        Assert.Contains("rate limited", error.Message);
    }

    [Fact]
    public async Task A_refused_connection_is_an_outage_after_retries()
    {
        var port = FreePort.Next();
        using var client = new RegistryClient($"127.0.0.1:{port}", options: TestOptions.Fast with { MaxRetries = 2 });

        var error = await Assert.ThrowsAsync<RegistryUnavailableException>(() => client.PingAsync());

        Assert.Contains("unreachable", error.Message);
        Assert.Contains("ConnectionRefused", error.Message);
        Assert.Contains("3 attempts", error.Message);
    }

    [Fact]
    public async Task A_registry_that_never_answers_times_out_as_an_outage()
    {
        using var blackHole = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        blackHole.Start(); // accepts connections (backlog) but never answers
        var port = ((System.Net.IPEndPoint)blackHole.LocalEndpoint).Port;
        using var client = new RegistryClient(
            $"127.0.0.1:{port}",
            options: TestOptions.Fast with
            {
                MaxRetries = 1,
                RequestTimeout = TimeSpan.FromMilliseconds(300),
            }
        );

        var error = await Assert.ThrowsAsync<RegistryUnavailableException>(() => client.PingAsync());

        Assert.Contains("timed out", error.Message);
    }
}
