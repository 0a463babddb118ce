using System.Collections.Concurrent;
using Pipeline.Registry.Archives;
using Pipeline.Registry.Copying;
using Pipeline.Registry.Remote;

namespace Pipeline.Registry.Tests;

/// <summary>
/// "The registry did the work but the answer was lost": the proxy forwards a request, the registry handles it, and the
/// connection is reset instead of the answer. Aimed at the first final PUT of every blob (monolithic and chunked), the
/// first PUT of the manifest by digest and the first PUT of the tag. The copy must converge: each blob sent once (the
/// retry finds it committed), no upload session left behind, the tag written only after the manifest was read back.
/// </summary>
public sealed class AnswerLostTests
{
    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task An_answer_lost_after_the_registry_committed_is_retried_without_duplicates_or_early_tags()
    {
        using var temp = new TempFolder();
        await using var registry = await RegistryServer.StartAsync();
        await using var proxy = await RegistryFaultProxy.StartAsync(registry.Host, FaultPlan.None);
        var dropped = new ConcurrentDictionary<string, bool>();
        proxy.Rule = (method, target) =>
        {
            if (method != "PUT")
                return null;
            // One key per blob (its digest), per manifest and per tag: only the first PUT of each loses its answer.
            var key = target.Contains("/blobs/uploads/", StringComparison.Ordinal)
                ? target[target.IndexOf("digest=", StringComparison.Ordinal)..]
                : target;
            return dropped.TryAdd(key, true) ? ProxyFault.DropAfter : null;
        };
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["a.tar"], 2, 1_500_000),
            temp["layout"]
        );
        var blobs = image.Manifest.AsManifest().Blobs.Select(b => b.Digest.ToString()).ToArray();
        // Layers (~1.5 MB) go up in chunks, the config in one PUT: both ways of finishing a blob lose their answer.
        using var client = new RegistryClient(
            proxy.Host,
            options: TestOptions.Fast with
            {
                ChunkedUploadThreshold = 1_000_000,
                ChunkSize = 256 * 1024,
            }
        );

        var result = await new ImageCopier().CopyAsync(
            image.Layout,
            image.Manifest.Digest.ToString(),
            client.Repository("lost/app"),
            ["v1"]
        );

        Assert.Equal(image.Manifest.Digest, result.Digest);
        Assert.Equal(
            image.Manifest.Digest.ToString(),
            await Skopeo.InspectDigestAsync($"docker://{registry.Host}/lost/app:v1")
        );
        var log = proxy.Log.ToArray();
        // every blob, the manifest, the tag
        Assert.Equal(blobs.Length + 2, log.Count(e => e.Fault == ProxyFault.DropAfter));

        // Each blob: one session, one committing PUT (whose answer was lost), then found by HEAD, never sent again.
        Assert.Equal(
            blobs.Length,
            log.Count(e => e.Method == "POST" && e.Target.Contains("/blobs/uploads/", StringComparison.Ordinal))
        );
        foreach (var blob in blobs)
        {
            var escaped = Uri.EscapeDataString(blob);
            Assert.Single(
                log,
                e =>
                    e.Method == "PUT"
                    && (
                        e.Target.Contains(escaped, StringComparison.Ordinal)
                        || e.Target.Contains(blob, StringComparison.Ordinal)
                    )
            );
        }

        // No half-written upload left in the registry.
        var uploads = Path.Combine(
            registry.StorageDirectory,
            "docker",
            "registry",
            "v2",
            "repositories",
            "lost",
            "app",
            "_uploads"
        );
        Assert.True(
            !Directory.Exists(uploads) || Directory.GetFileSystemEntries(uploads).Length == 0,
            "an upload session was left behind"
        );

        // The tag's successful PUT comes after the manifest was stored by digest and read back.
        var list = log.ToList();
        var tagged = list.FindIndex(e =>
            e.Method == "PUT" && e.Target.EndsWith("/manifests/v1", StringComparison.Ordinal) && e.Fault is null
        );
        var readBack = list.FindLastIndex(e =>
            e.Method == "GET"
            && e.Target.Contains($"/manifests/{image.Manifest.Digest}", StringComparison.Ordinal)
            && e.Status == 200
        );
        var stored = list.FindIndex(e =>
            e.Method == "PUT" && e.Target.Contains($"/manifests/{image.Manifest.Digest}", StringComparison.Ordinal)
        );
        Assert.True(
            stored >= 0 && readBack > stored && tagged > readBack,
            $"order: manifest PUT {stored}, read back {readBack}, tag {tagged}"
        );
        Assert.Equal(["v1"], await client.Repository("lost/app").ListTagsAsync());
    }
}
