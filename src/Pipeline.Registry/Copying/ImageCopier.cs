using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Registry.Images;
using Pipeline.Registry.Remote;

namespace Pipeline.Registry.Copying;

/// <summary>
/// Copies an image or index by digest from any source to any target, the one path behind push, promote,
/// failover and reconcile. Order is what makes it safe: every blob (skipped when present, mounted within a
/// registry, else uploaded and digest-checked), then each child manifest, then the root manifest by digest,
/// read back and compared; only then the tags, each resolved again afterwards. No tag ever names a partial image.
/// </summary>
public sealed class ImageCopier(ILogger? logger = null, int maxParallelBlobs = 6)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <param name="keepExistingTags">Leave a tag alone when it already points at another digest (reconcile after an
    /// outage).</param>
    /// <param name="beforeTags">
    /// Runs once the target took the image by digest (beside the read-back) and before any tag is written: attachments
    /// (signature, provenance, SBOM) go here, so a tag never names an image whose attachments a kill left behind.
    /// </param>
    public async Task<CopyResult> CopyAsync(
        IImageSource source,
        string tagOrDigest,
        IImageTarget target,
        IReadOnlyList<string> tags,
        IProgress<CopyProgress>? progress = null,
        bool keepExistingTags = false,
        CancellationToken ct = default,
        Func<Digest, CancellationToken, Task>? beforeTags = null
    )
    {
        foreach (var tag in tags)
            Reference.ValidateTag(tag, $"tag for {target.Location}");
        var root = await source.GetManifestAsync(tagOrDigest, ct);
        var counters = new Counters(progress);
        await CopyTreeAsync(source, root, target, counters, ct);

        // Read back what the target stored under the digest: the bytes must hash to the same digest. The attachments
        // (stored by then: the target took the manifest) go beside that round trip; tags wait for both.
        var readBack = target.GetManifestAsync(root.Digest.ToString(), ct);
        await Task.WhenAll(readBack, beforeTags?.Invoke(root.Digest, ct) ?? Task.CompletedTask);
        var stored = await readBack;
        if (stored.Digest != root.Digest)
            throw new RegistryException(
                $"{target.Location}: manifest read back as {stored.Digest}, pushed {root.Digest}"
            );

        var written = new List<string>();
        foreach (var tag in tags)
        {
            if (keepExistingTags && await target.ResolveAsync(tag, ct) is { } existing && existing != root.Digest)
            {
                _logger.LogWarning(
                    "{Target}:{Tag} already points at {Existing}; left alone (the image is there by digest {Digest})",
                    target.Location,
                    tag,
                    existing.Short,
                    root.Digest.Short
                );
                continue;
            }

            await target.PutManifestAsync(root, tag, ct);
            var resolved = await target.ResolveAsync(tag, ct);
            if (resolved != root.Digest)
                throw new RegistryException(
                    $"{target.Location}:{tag} resolves to "
                        + $"{resolved?.ToString() ?? "nothing"} after tagging {root.Digest}"
                );
            written.Add(tag);
        }

        return new CopyResult(
            target.Location,
            root.Digest,
            root.MediaType,
            written,
            counters.Uploaded,
            counters.Present,
            counters.Mounted,
            counters.Bytes
        );
    }

    private async Task CopyTreeAsync(
        IImageSource source,
        RawManifest manifest,
        IImageTarget target,
        Counters counters,
        CancellationToken ct
    )
    {
        if (manifest.IsIndex)
        {
            foreach (var child in manifest.AsIndex().Manifests)
            {
                if (await target.ResolveAsync(child.Digest.ToString(), ct) == child.Digest)
                    continue;
                RawManifest childManifest;
                try
                {
                    childManifest = await source.GetManifestAsync(child.Digest.ToString(), ct);
                }
                catch (RegistryException e) when (e.Status == System.Net.HttpStatusCode.NotFound)
                {
                    // The index is written after its children, so it never reaches the target without this one.
                    throw new RegistryException(
                        $"{source.Location}: index {manifest.Digest.Short} lists {child.Digest} "
                            + $"({child.Platform?.ToString() ?? "no platform"}), which is not there; "
                            + $"the index was not copied to {target.Location} and no tag was written",
                        e.Status,
                        e.ErrorCode,
                        e
                    );
                }

                await CopyTreeAsync(source, childManifest, target, counters, ct);
            }
        }
        else
        {
            var blobs = manifest.AsManifest().Blobs.DistinctBy(b => b.Digest).ToArray();
            counters.AddTotal(blobs.Sum(b => b.Size));
            var mountFrom =
                source is RegistryRepository s
                && target is RegistryRepository t
                && s.Registry == t.Registry
                && s.Name != t.Name
                    ? s.Name
                    : null;
            await Parallel.ForEachAsync(
                blobs,
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, maxParallelBlobs), CancellationToken = ct },
                async (blob, token) =>
                {
                    var hints = new BlobWriteHints(mountFrom, new Progress(counters));
                    var result = await target.WriteBlobAsync(blob, c => source.OpenBlobAsync(blob, c), hints, token);
                    counters.Done(blob, result);
                    _logger.LogDebug("{Target}: blob {Digest} {Result}", target.Location, blob.Digest.Short, result);
                }
            );
        }

        try
        {
            await target.PutManifestAsync(manifest, null, ct);
        }
        catch (RegistryException e) when (manifest.IsIndex && IndexRefusedException.Refuses(e))
        {
            var platforms = string.Join(
                ", ",
                manifest.AsIndex().Manifests.Select(m => m.Platform?.ToString() ?? m.Digest.Short)
            );
            throw new IndexRefusedException(
                $"{target.Location} does not take image indexes ({manifest.MediaType}): "
                    + $"it stored the platform images ({platforms}) by digest, untagged, then "
                    + $"answered the index with {e.Message.Split(": ", 2)[^1]}; no tag was written",
                e.Status,
                e.ErrorCode,
                e
            );
        }
    }

    private sealed class Counters(IProgress<CopyProgress>? progress)
    {
        private long _total;
        private long _done;
        private long _bytes;
        private int _uploaded;
        private int _present;
        private int _mounted;

        public int Uploaded => _uploaded;

        public int Present => _present;

        public int Mounted => _mounted;

        public long Bytes => Interlocked.Read(ref _bytes);

        public void AddTotal(long bytes) => Interlocked.Add(ref _total, bytes);

        public void Sent(long bytes)
        {
            Interlocked.Add(ref _bytes, bytes);
            progress?.Report(
                new CopyProgress(Interlocked.Add(ref _done, bytes), Interlocked.Read(ref _total), "uploading")
            );
        }

        public void Done(Descriptor blob, BlobWriteResult result)
        {
            switch (result)
            {
                case BlobWriteResult.AlreadyPresent:
                    Interlocked.Increment(ref _present);
                    break;
                case BlobWriteResult.Mounted:
                    Interlocked.Increment(ref _mounted);
                    break;
                default:
                    Interlocked.Increment(ref _uploaded);
                    break;
            }

            if (result != BlobWriteResult.Uploaded)
                progress?.Report(
                    new CopyProgress(
                        Interlocked.Add(ref _done, blob.Size),
                        Interlocked.Read(ref _total),
                        result.ToString()
                    )
                );
        }
    }

    // IProgress<T> without SynchronizationContext capture: reports arrive on the uploading thread.
    private sealed class Progress(Counters counters) : IProgress<long>
    {
        public void Report(long value) => counters.Sent(value);
    }
}
