using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Registry.Archives;
using Pipeline.Registry.Copying;
using Pipeline.Registry.Images;
using Pipeline.Registry.Referrers;
using Pipeline.Registry.Remote;

namespace Pipeline.Registry.Failover;

/// <summary>
/// Pushes to the first destination of an ordered list that takes the image. Only an outage
/// (<see cref="RegistryUnavailableException"/>: refused, timed out, 5xx or 429 after retries) moves on to the next;
/// a refused credential or an invalid name stops the push, because routing around a mistake hides it.
/// Landing anywhere but the first destination is said loudly and recorded in the <see cref="FallbackLedger"/>.
/// </summary>
public sealed class FailoverPusher(FallbackLedger ledger, RegistryClientOptions? options = null, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly RegistryClientOptions _options = options ?? new RegistryClientOptions();

    /// <summary>Statistics of the last registry the pusher wrote to (for benchmarks and summaries).</summary>
    public TransferStatistics? LastStatistics { get; private set; }

    public Task<PushOutcome> PushAsync(
        string purpose,
        IImageSource source,
        string tagOrDigest,
        IReadOnlyList<RegistryDestination> destinations,
        IReadOnlyList<string> tags,
        IProgress<CopyProgress>? progress = null,
        CancellationToken ct = default
    ) => PushAsync(purpose, source, tagOrDigest, destinations, tags, progress, null, ct);

    /// <param name="attachWhilePushing">
    /// Writes the image's attachments into <paramref name="source"/> while the image's blobs go up (the SBOM from the
    /// layers as the upload reads them). Started once, with the first destination; its argument completes when a
    /// destination holds every blob of the image. No tag is written before it has finished, and what it attached goes
    /// with the image.
    /// </param>
    internal async Task<PushOutcome> PushAsync(
        string purpose,
        IImageSource source,
        string tagOrDigest,
        IReadOnlyList<RegistryDestination> destinations,
        IReadOnlyList<string> tags,
        IProgress<CopyProgress>? progress,
        Func<Task, CancellationToken, Task>? attachWhilePushing,
        CancellationToken ct
    )
    {
        if (destinations.Count == 0)
            throw new RegistryException($"no destinations configured for {purpose}");
        using var stopAttaching = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var attaching = attachWhilePushing is null ? null : new Attaching(attachWhilePushing, stopAttaching.Token);
        try
        {
            return await PushDownAsync(purpose, source, tagOrDigest, destinations, tags, progress, attaching, ct);
        }
        finally
        {
            if (attaching is not null)
                await StopAsync(stopAttaching, attaching.Task);
        }
    }

    private async Task<PushOutcome> PushDownAsync(
        string purpose,
        IImageSource source,
        string tagOrDigest,
        IReadOnlyList<RegistryDestination> destinations,
        IReadOnlyList<string> tags,
        IProgress<CopyProgress>? progress,
        Attaching? attaching,
        CancellationToken ct
    )
    {
        var failures = new List<string>();
        for (var i = 0; i < destinations.Count; i++)
        {
            var destination = destinations[i];
            try
            {
                var archiveName = destinations[0].Repository?.Repository.Split('/')[^1] ?? purpose;
                var (result, heldAt) = await PushToAsync(
                    destination,
                    source,
                    tagOrDigest,
                    tags,
                    archiveName,
                    progress,
                    attaching,
                    ct
                );
                if (i == 0)
                    return new PushOutcome(destination, result, false, null, null, failures);

                var primary = destinations[0];
                var record = new FallbackRecord
                {
                    Id = $"{DateTimeOffset.UtcNow:yyyyMMddTHHmmssZ}-{purpose}-{result.Digest.Short}",
                    Purpose = purpose,
                    IntendedDestination = primary.Name,
                    IntendedRepository = primary.Repository?.Name ?? primary.ArchiveDirectory!,
                    Digest = result.Digest.ToString(),
                    Tags = tags,
                    HeldBy = destination.Name,
                    HeldAt = heldAt,
                    Reason = string.Join("; ", failures),
                    CreatedAt = DateTimeOffset.UtcNow,
                };
                var path = ledger.Add(record);
                _logger.LogWarning(
                    "FAILOVER: {Purpose} image {Digest} went to {Fallback} ({HeldAt}), not "
                        + "{Primary}: {Reason}. Recorded in {Record}; run Reconcile when {Primary} is back",
                    purpose,
                    result.Digest.Short,
                    destination.Name,
                    heldAt,
                    primary.Name,
                    record.Reason,
                    path,
                    primary.Name
                );
                return new PushOutcome(destination, result, true, record, path, failures);
            }
            catch (RegistryUnavailableException e)
            {
                failures.Add($"{destination.Name} unavailable: {e.Message}");
                var next = i + 1 < destinations.Count ? $"trying {destinations[i + 1].Name}" : "no destination left";
                _logger.LogWarning("{Destination} is unavailable ({Message}); {Next}", destination, e.Message, next);
            }
        }

        throw new RegistryUnavailableException(
            $"{purpose}: every destination is unavailable: {string.Join(" | ", failures)}"
        );
    }

    private async Task<(CopyResult Result, string HeldAt)> PushToAsync(
        RegistryDestination destination,
        IImageSource source,
        string tagOrDigest,
        IReadOnlyList<string> tags,
        string archiveName,
        IProgress<CopyProgress>? progress,
        Attaching? attaching,
        CancellationToken ct
    )
    {
        var copier = new ImageCopier(_logger, _options.MaxParallelBlobs);
        if (destination.IsArchive)
            return await ArchiveAsync(
                destination,
                source,
                tagOrDigest,
                tags,
                archiveName,
                copier,
                progress,
                attaching,
                ct
            );

        using var client = new RegistryClient(
            destination.Repository!.Registry,
            destination.Credentials,
            _options,
            _logger
        );
        LastStatistics = client.Statistics;
        var repository = client.Repository(destination.Repository.Repository);
        // Signatures, attestations, SBOM go with it, before its tags: a kill never leaves a tag on an unsigned image.
        // What the source holds replaces what the registry kept for this digest (an earlier run's, an old key's).
        // Their blobs travel beside the image's; their manifests wait until the image is stored.
        // Attachments still being made are listed (and their blobs sent) as soon as they are in the source.
        var artifacts = new AttachedArtifacts(_logger);
        var subject = (await source.GetManifestAsync(tagOrDigest, ct)).Digest;
        using var stopAhead = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var listing = ListWhenAttachedAsync(artifacts, source, subject, attaching, stopAhead.Token);
        var ahead = SendAheadAsync(source, repository, listing, stopAhead.Token);
        try
        {
            var result = await copier.CopyAsync(
                source,
                subject.ToString(),
                repository,
                tags,
                progress,
                ct: ct,
                beforeTags: async (_, token) =>
                {
                    attaching?.BlobsStored();
                    await ahead;
                    await artifacts.CarryListedAsync(source, repository, await listing, true, token, blobsSent: true);
                }
            );
            return (result, destination.Repository.Name);
        }
        finally
        {
            await StopAsync(stopAhead, ahead);
        }
    }

    private static async Task<IReadOnlyList<CarriedAttachment>> ListWhenAttachedAsync(
        AttachedArtifacts artifacts,
        IImageSource source,
        Digest subject,
        Attaching? attaching,
        CancellationToken ct
    )
    {
        if (attaching is not null)
            await attaching.Task.WaitAsync(ct);
        return await artifacts.ListCarriedAsync(source, subject, ct);
    }

    private async Task SendAheadAsync(
        IImageSource source,
        IImageTarget target,
        Task<IReadOnlyList<CarriedAttachment>> listing,
        CancellationToken ct
    )
    {
        var attachments = await listing;
        await AttachedArtifacts.SendBlobsAheadAsync(source, target, attachments, _options.MaxParallelBlobs, ct);
        _logger.LogDebug("{Target}: blobs of {Count} attachment(s) sent ahead", target.Location, attachments.Count);
    }

    /// <summary>Ends the blobs sent ahead when the image's copy ended first (it failed): its error is the one that
    /// counts.</summary>
    private static async Task StopAsync(CancellationTokenSource stop, Task ahead)
    {
        if (!ahead.IsCompleted)
            await stop.CancelAsync();
        try
        {
            await ahead;
        }
        catch (Exception)
        {
            // Cancelled, or failed on its own: the copy's outcome is already decided.
        }
    }

    /// <summary>The last resort: an OCI archive file (skopeo/podman read it as <c>oci-archive:</c>), written whole or
    /// not at all.</summary>
    private async Task<(CopyResult, string)> ArchiveAsync(
        RegistryDestination destination,
        IImageSource source,
        string tagOrDigest,
        IReadOnlyList<string> tags,
        string archiveName,
        ImageCopier copier,
        IProgress<CopyProgress>? progress,
        Attaching? attaching,
        CancellationToken ct
    )
    {
        var root = await source.GetManifestAsync(tagOrDigest, ct);
        var directory = destination.ArchiveDirectory!;
        var staging = Path.Combine(directory, $".staging-{Guid.NewGuid():N}");
        try
        {
            var layout = OciLayout.OpenOrCreate(staging);
            var result = await copier.CopyAsync(
                source,
                root.Digest.ToString(),
                layout,
                tags.Count > 0 ? tags : [root.Digest.Short],
                progress,
                ct: ct, // the bar moves for an archive too
                beforeTags: async (digest, token) =>
                {
                    if (attaching is not null)
                    {
                        attaching.BlobsStored();
                        await attaching.Task.WaitAsync(token);
                    }

                    await new AttachedArtifacts(_logger).CarryAsync(source, layout, digest, token);
                }
            );
            var file = Path.Combine(directory, $"{ArchiveName(archiveName)}-{root.Digest.Short}.oci.tar");
            await OciArchive.PackAsync(layout, file, ct);
            return (result with { Target = file }, file);
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>The attaching that runs beside a push, and the signal that the image's blobs are stored.</summary>
    private sealed class Attaching
    {
        private readonly TaskCompletionSource _blobsStored = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Attaching(Func<Task, CancellationToken, Task> attach, CancellationToken ct) =>
            Task = System.Threading.Tasks.Task.Run(() => attach(_blobsStored.Task, ct), ct);

        public Task Task { get; }

        public void BlobsStored() => _blobsStored.TrySetResult();
    }

    private static string ArchiveName(string name)
    {
        return new string(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray());
    }
}
