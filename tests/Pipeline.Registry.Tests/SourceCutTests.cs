using System.Collections.Concurrent;
using System.Diagnostics;
using Pipeline.Registry.Archives;
using Pipeline.Registry.Copying;
using Pipeline.Registry.Remote;

namespace Pipeline.Registry.Tests;

/// <summary>
/// The source side of a copy (Promote: registry to registry) loses its connection half-way through a layer. The
/// download resumes from the next byte (HTTP Range) and the digest of the whole is checked; when the source keeps
/// cutting, the copy ends within the source's budget with one line naming the layer and the registry.
/// </summary>
public sealed class SourceCutTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(6);

    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task A_source_cut_once_per_layer_is_resumed_with_a_range_request_and_the_exact_digest_arrives()
    {
        using var temp = new TempFolder();
        await using var source = await RegistryServer.StartAsync();
        await using var target = await RegistryServer.StartAsync();
        var image = await PushAsync(temp, source, 3, 1_500_000);
        await using var proxy = await RegistryFaultProxy.StartAsync(source.Host, FaultPlan.None);
        var cut = new ConcurrentDictionary<string, bool>();
        proxy.Rule = (method, path) =>
            method == "GET" && path.Contains("/blobs/sha256:", StringComparison.Ordinal) && cut.TryAdd(path, true)
                ? ProxyFault.CutBody
                : null;
        using var from = new RegistryClient(proxy.Host, options: TestOptions.Fast);
        // Layers above the chunk threshold go up in chunks, the config in one PUT: both read the source the same way.
        using var to = new RegistryClient(
            target.Host,
            options: TestOptions.Fast with
            {
                ChunkedUploadThreshold = 1_000_000,
                ChunkSize = 256 * 1024,
            }
        );

        var result = await new ImageCopier().CopyAsync(from.Repository("s/app"), "v1", to.Repository("t/app"), ["v1"]);

        Assert.Equal(image.Manifest.Digest, result.Digest);
        Assert.Equal(
            image.Manifest.Digest.ToString(),
            await Skopeo.InspectDigestAsync($"docker://{target.Host}/t/app:v1")
        );
        var blobs = image.Manifest.AsManifest().Blobs.ToArray();
        var log = proxy.Log.ToArray();
        Assert.Equal(blobs.Length, log.Count(e => e.Fault == ProxyFault.CutBody));
        foreach (var blob in blobs)
        {
            // After the cut, one more GET, asking for the rest only: bytes=N- with N > 0.
            var resumed = Assert.Single(
                log,
                e => e.Fault is null && e.Target.EndsWith($"/blobs/{blob.Digest}", StringComparison.Ordinal)
            );
            Assert.StartsWith("bytes=", resumed.Range);
            Assert.NotEqual("bytes=0-", resumed.Range);
            Assert.Equal(206, resumed.Status);
        }
    }

    [RequiresToolsFact("docker-registry")]
    public async Task A_source_cutting_every_answer_fails_the_copy_within_budget_naming_the_layer_and_the_registry()
    {
        using var temp = new TempFolder();
        await using var source = await RegistryServer.StartAsync();
        await using var target = await RegistryServer.StartAsync();
        var image = await PushAsync(temp, source, 1, 400_000);
        await using var proxy = await RegistryFaultProxy.StartAsync(source.Host, FaultPlan.None);
        proxy.Rule = (method, path) =>
            method == "GET" && path.Contains("/blobs/sha256:", StringComparison.Ordinal) ? ProxyFault.CutBody : null;
        var options = TestOptions.Fast with { UnavailableAfter = Budget };
        using var from = new RegistryClient(proxy.Host, options: options);
        using var to = new RegistryClient(target.Host, options: options);
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
        var cutBlob = image
            .Manifest.AsManifest()
            .Blobs.First(b => error.Message.Contains(b.Digest.ToString(), StringComparison.Ordinal));
        Assert.Contains($"{proxy.Host}/s/app", error.Message);
        Assert.Contains("broke off at byte", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain("Exception", error.Message);
        Assert.True(
            proxy.Log.Count(e =>
                e.Fault == ProxyFault.CutBody && e.Target.EndsWith(cutBlob.Digest.ToString(), StringComparison.Ordinal)
            ) >= 2,
            "the cut download was never resumed"
        );
        Assert.Empty(await to.Repository("t/app").ListTagsAsync());
    }

    private static async Task<ImportedImage> PushAsync(
        TempFolder temp,
        RegistryServer registry,
        int layers,
        int layerBytes
    )
    {
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["a.tar"], layers, layerBytes),
            temp["layout"]
        );
        using var direct = new RegistryClient(registry.Host, options: TestOptions.Fast);
        await new ImageCopier().CopyAsync(
            image.Layout,
            image.Manifest.Digest.ToString(),
            direct.Repository("s/app"),
            ["v1"]
        );
        return image;
    }
}
