using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Registry.Copying;
using Pipeline.Registry.Images;
using Pipeline.Registry.Remote;

namespace Pipeline.Registry.Referrers;

/// <summary>One attachment of an image: its kind (sig, att, sbom) and the manifest holding it.</summary>
public sealed record Attachment(string Kind, RawManifest Manifest);

/// <summary>
/// Signatures, attestations and SBOMs as part of the image they describe: found (referrers API when the registry has
/// it, else the cosign tags), attached (by digest with <c>subject</c> where referrers exist, else under the tag, merged
/// with what the tag already holds) and carried along by every copy of the image, so promotion, failover and reconcile
/// move them too.
/// </summary>
public sealed class AttachedArtifacts(ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>Every attachment of <paramref name="subject"/> in <paramref name="source"/>, by kind.</summary>
    public async Task<IReadOnlyList<Attachment>> ListAsync(
        IImageSource source,
        Digest subject,
        CancellationToken ct = default
    )
    {
        var found = new List<Attachment>();
        if (
            source is RegistryRepository repository
            && await ReferrersApi.ListAsync(repository, subject, ct) is { } referrers
        )
        {
            foreach (var referrer in referrers)
            {
                if (AttachmentTag.KindOf(referrer.ArtifactType) is not { } kind)
                    continue;
                found.Add(new Attachment(kind, await source.GetManifestAsync(referrer.Digest.ToString(), ct)));
            }
        }

        if (source is not IImageTarget readable)
            return found;
        foreach (var kind in AttachmentTag.Kinds)
        {
            var tag = AttachmentTag.For(subject, kind);
            if (await readable.ResolveAsync(tag, ct) is not { } digest || found.Any(a => a.Manifest.Digest == digest))
                continue;
            found.Add(new Attachment(kind, await source.GetManifestAsync(digest.ToString(), ct)));
        }

        return found;
    }

    /// <summary>
    /// Stores an attachment manifest whose blobs are in memory: blobs first, then the manifest by digest (referrers) or
    /// under the kind's tag. Returns the digest that now holds it.
    /// </summary>
    public async Task<Digest> AttachAsync(
        IImageTarget target,
        Descriptor subject,
        string kind,
        IReadOnlyList<(Descriptor Layer, byte[] Content)> layers,
        CancellationToken ct = default
    )
    {
        var created = AttachmentManifest.Create(kind, subject, layers.Select(l => l.Layer).ToArray());
        var blobs = layers
            .Select(l => (l.Layer, l.Content))
            .Append((created.Manifest.AsManifest().Config, created.Config));
        foreach (var (descriptor, content) in blobs)
        {
            await target.WriteBlobAsync(
                descriptor,
                _ => Task.FromResult<Stream>(new MemoryStream(content, writable: false)),
                BlobWriteHints.None,
                ct
            );
        }

        return await PlaceAsync(target, subject, new Attachment(kind, created.Manifest), ct);
    }

    /// <summary>Copies every attachment of <paramref name="subject"/> from source to target (after the image itself).
    /// Returns how many.</summary>
    /// <param name="replace">
    /// Where the target keeps attachments under cosign's tags, the source's replace what the tag held (an earlier
    /// push's, an old key's) instead of being merged with it: a push carries exactly what its source holds.
    /// </param>
    public async Task<int> CarryAsync(
        IImageSource source,
        IImageTarget target,
        Digest subject,
        CancellationToken ct = default,
        bool replace = false
    ) => await CarryListedAsync(source, target, await ListCarriedAsync(source, subject, ct), replace, ct);

    /// <summary><see cref="CarryAsync"/> of what <see cref="ListCarriedAsync"/> found, when the caller listed it
    /// already to send the blobs ahead of the image.</summary>
    /// <param name="blobsSent">Every blob of <paramref name="attachments"/> is in the target already (<see
    /// cref="SendBlobsAheadAsync"/> finished): only the manifests are left to place.</param>
    internal async Task<int> CarryListedAsync(
        IImageSource source,
        IImageTarget target,
        IReadOnlyList<CarriedAttachment> attachments,
        bool replace,
        CancellationToken ct,
        bool blobsSent = false
    )
    {
        if (attachments.Count == 0)
            return 0;
        // Each attachment is its own manifest under its own tag (or its own referrer): side by side, the wait after the
        // image is one attachment's round trips, not the sum of all.
        var copier = new ImageCopier(_logger);
        await Task.WhenAll(
            attachments.Select(async carried =>
            {
                // The manifest and its blobs by digest, untagged; then placed where the target keeps attachments. With
                // the blobs there, placing is the one PUT (by digest, or under the tag, which stores it by digest too;
                // the registry's digest of what it stored is checked either way).
                if (!blobsSent)
                    await copier.CopyAsync(source, carried.Attachment.Manifest.Digest.ToString(), target, [], ct: ct);
                await PlaceAsync(target, carried.Subject, carried.Attachment, ct, replace);
            })
        );

        foreach (var group in attachments.GroupBy(a => a.Subject.Digest))
            _logger.LogInformation(
                "{Target}: carried {Count} attachment(s) of {Digest} ({Kinds})",
                target.Location,
                group.Count(),
                group.Key.Short,
                string.Join(", ", group.Select(a => a.Attachment.Kind))
            );
        return attachments.Count;
    }

    /// <summary>
    /// Every attachment a carry of <paramref name="subject"/> takes along: its own and, for an index, its children's
    /// (each platform's SBOM).
    /// </summary>
    internal async Task<IReadOnlyList<CarriedAttachment>> ListCarriedAsync(
        IImageSource source,
        Digest subject,
        CancellationToken ct
    )
    {
        var root = await source.GetManifestAsync(subject.ToString(), ct);
        var subjects = root.IsIndex ? [.. root.AsIndex().Manifests.Select(m => m.Digest), subject] : new[] { subject };
        var carried = new List<CarriedAttachment>();
        foreach (var digest in subjects)
        {
            var attachments = await ListAsync(source, digest, ct);
            if (attachments.Count == 0)
                continue;
            var descriptor =
                digest == subject ? root.Descriptor : (await source.GetManifestAsync(digest.ToString(), ct)).Descriptor;
            carried.AddRange(attachments.Select(a => new CarriedAttachment(descriptor, a)));
        }

        return carried;
    }

    /// <summary>
    /// Sends the blobs of <paramref name="attachments"/> while the image itself is still going: blobs are stored by
    /// content, so a push that then fails leaves nothing that names them; the manifests wait for the image
    /// (<see cref="CarryAsync"/>), which then finds the blobs there.
    /// </summary>
    internal static Task SendBlobsAheadAsync(
        IImageSource source,
        IImageTarget target,
        IReadOnlyList<CarriedAttachment> attachments,
        int maxParallelBlobs,
        CancellationToken ct
    )
    {
        var blobs = attachments
            .SelectMany(a => a.Attachment.Manifest.AsManifest().Blobs)
            .DistinctBy(b => b.Digest)
            .ToArray();
        // A few KB each, three round trips each: all at once (up to 16), not in waves of the image's parallelism; a
        // signed image's seven would otherwise take two waves, which a small image's push then waits for.
        var parallel = Math.Max(Math.Max(1, maxParallelBlobs), Math.Min(blobs.Length, 16));
        return Parallel.ForEachAsync(
            blobs,
            new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = ct },
            async (blob, token) =>
                await target.WriteBlobAsync(blob, c => source.OpenBlobAsync(blob, c), BlobWriteHints.None, token)
        );
    }

    private async Task<Digest> PlaceAsync(
        IImageTarget target,
        Descriptor subject,
        Attachment attachment,
        CancellationToken ct,
        bool replace = false
    )
    {
        if (
            target is RegistryRepository repository
            && await ReferrersApi.IsSupportedAsync(repository, subject.Digest, ct)
        )
        {
            await target.PutManifestAsync(attachment.Manifest, null, ct);
            return attachment.Manifest.Digest;
        }

        var tag = AttachmentTag.For(subject.Digest, attachment.Kind);
        var manifest = attachment.Manifest;
        if (!replace && await target.ResolveAsync(tag, ct) is { } existingDigest && existingDigest != manifest.Digest)
        {
            // The tag schema holds one manifest per kind: keep what is there (another signer, an earlier attestation)
            // and add ours.
            var existing = (await target.GetManifestAsync(existingDigest.ToString(), ct)).AsManifest();
            if (AttachmentManifest.Merge(attachment.Kind, subject, existing, manifest.AsManifest()) is not { } merged)
                return existingDigest;
            var config = merged.Manifest.AsManifest().Config;
            await target.WriteBlobAsync(
                config,
                _ => Task.FromResult<Stream>(new MemoryStream(merged.Config, writable: false)),
                BlobWriteHints.None,
                ct
            );
            _logger.LogDebug(
                "{Target}: {Tag} merged ({Layers} layers)",
                target.Location,
                tag,
                merged.Manifest.AsManifest().Layers.Count
            );
            manifest = merged.Manifest;
        }

        await target.PutManifestAsync(manifest, tag, ct);
        return manifest.Digest;
    }
}
