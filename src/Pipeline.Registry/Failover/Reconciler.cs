using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Registry.Archives;
using Pipeline.Registry.Auth;
using Pipeline.Registry.Copying;
using Pipeline.Registry.Images;
using Pipeline.Registry.Referrers;
using Pipeline.Registry.Remote;

namespace Pipeline.Registry.Failover;

/// <summary>
/// Delivers what the fallbacks hold to where it belongs: for each pending record, copies the image by digest
/// from the local registry or the archive to the intended registry, then its tags, unless a tag there already
/// points at another image (pushed after the outage: never overwritten). A primary still down leaves the record
/// pending for the next run.
/// </summary>
public sealed class Reconciler(
    FallbackLedger ledger,
    Func<string, RegistryDestination?> destinationByName,
    RegistryClientOptions? options = null,
    ILogger? logger = null
)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly RegistryClientOptions _options = options ?? new RegistryClientOptions();

    public async Task<IReadOnlyList<ReconcileResult>> ReconcileAsync(
        string temporaryDirectory,
        CancellationToken ct = default
    )
    {
        var results = new List<ReconcileResult>();
        foreach (var record in ledger.Pending())
        {
            try
            {
                var copy = await DeliverAsync(record, temporaryDirectory, ct);
                ledger.MarkReconciled(record);
                _logger.LogInformation(
                    "reconciled {Digest} from {HeldBy} to {Repository} ({Tags})",
                    record.Digest,
                    record.HeldBy,
                    record.IntendedRepository,
                    string.Join(", ", copy.Tags)
                );
                results.Add(new ReconcileResult(record, ReconcileStatus.Delivered, copy, null));
            }
            catch (HolderUnavailableException e)
            {
                // The fallback holding the image is down, not the registry it belongs in: say so, and keep the record.
                _logger.LogWarning(
                    "{HeldBy} ({HeldAt}), which holds {Digest}, is "
                        + "unavailable, so {Repository} was not tried: {Message}",
                    record.HeldBy,
                    record.HeldAt,
                    record.Digest,
                    record.IntendedRepository,
                    e.Message
                );
                results.Add(new ReconcileResult(record, ReconcileStatus.HolderUnavailable, null, e.Message));
            }
            catch (RegistryUnavailableException e)
            {
                _logger.LogWarning(
                    "{Repository} is still unavailable; {Digest} stays in {HeldBy}: {Message}",
                    record.IntendedRepository,
                    record.Digest,
                    record.HeldBy,
                    e.Message
                );
                results.Add(new ReconcileResult(record, ReconcileStatus.StillUnavailable, null, e.Message));
            }
        }

        return results;
    }

    private async Task<CopyResult> DeliverAsync(FallbackRecord record, string temporaryDirectory, CancellationToken ct)
    {
        var intended = destinationByName(record.IntendedDestination);
        var target = Reference.Parse(record.IntendedRepository, $"fallback record {record.Id} intendedRepository");
        var holder = destinationByName(record.HeldBy);
        var copier = new ImageCopier(_logger, _options.MaxParallelBlobs);
        using var targetClient = new RegistryClient(target.Registry, intended?.Credentials, _options, _logger);
        var targetRepository = targetClient.Repository(target.Repository);

        if (File.Exists(record.HeldAt))
        {
            var layoutDirectory = Path.Combine(temporaryDirectory, "reconcile-" + record.Id);
            try
            {
                var layout = await OciArchive.UnpackAsync(record.HeldAt, layoutDirectory, ct);
                return await CopyWithAttachmentsAsync(copier, layout, record, targetRepository, ct);
            }
            finally
            {
                if (Directory.Exists(layoutDirectory))
                    Directory.Delete(layoutDirectory, recursive: true);
            }
        }

        if (record.HeldAt.EndsWith(".tar", StringComparison.Ordinal))
            throw new RegistryException(
                $"fallback record {record.Id}: archive {record.HeldAt} is gone; the image must be rebuilt and pushed"
            );
        var source = Reference.Parse(record.HeldAt, $"fallback record {record.Id} heldAt");
        using var sourceClient = new RegistryClient(
            source.Registry,
            holder?.Credentials ?? AnonymousCredentials.Instance,
            _options,
            _logger
        );
        IImageSource sourceRepository = sourceClient.Repository(source.Repository);
        return await CopyWithAttachmentsAsync(copier, sourceRepository, record, targetRepository, ct);
    }

    /// <summary>The image, then its signatures, attestations and SBOM: what was held for the primary is delivered
    /// whole.</summary>
    private async Task<CopyResult> CopyWithAttachmentsAsync(
        ImageCopier copier,
        IImageSource source,
        FallbackRecord record,
        RegistryRepository target,
        CancellationToken ct
    )
    {
        try
        {
            // the holder first: its outage must not be blamed on the target
            await source.GetManifestAsync(record.Digest, ct);
        }
        catch (RegistryUnavailableException e)
        {
            throw new HolderUnavailableException(e.Message, e);
        }

        var copy = await copier.CopyAsync(
            source,
            record.Digest,
            target,
            record.Tags,
            keepExistingTags: true,
            ct: ct,
            beforeTags: (digest, token) => new AttachedArtifacts(_logger).CarryAsync(source, target, digest, token)
        );
        return copy;
    }
}

public enum ReconcileStatus
{
    Delivered,

    /// <summary>The registry the image belongs in is still down; the record stays.</summary>
    StillUnavailable,

    /// <summary>The fallback registry holding the image is down (the intended one was not tried); the record
    /// stays.</summary>
    HolderUnavailable,
}

/// <summary>The fallback holding an image could not be read: not the intended registry's fault.</summary>
internal sealed class HolderUnavailableException(string message, Exception inner)
    : RegistryException(message, null, null, inner);

public sealed record ReconcileResult(FallbackRecord Record, ReconcileStatus Status, CopyResult? Copy, string? Problem);
