namespace Pipeline.Registry.Images;

/// <summary>Where images are written (a registry repository, or an OCI layout for the archive fallback); readable back
/// for verification.</summary>
public interface IImageTarget : IImageSource
{
    Task<bool> HasBlobAsync(Descriptor blob, CancellationToken ct);

    /// <summary>Stores a blob whose content <paramref name="open"/> provides (called again on a retry); verifies the
    /// digest.</summary>
    Task<BlobWriteResult> WriteBlobAsync(
        Descriptor blob,
        Func<CancellationToken, Task<Stream>> open,
        BlobWriteHints hints,
        CancellationToken ct
    );

    /// <summary>The digest a tag points at, or null when the tag does not exist.</summary>
    Task<Digest?> ResolveAsync(string tagOrDigest, CancellationToken ct);

    /// <summary>Stores a manifest under its digest (<paramref name="tag"/> null) or a tag, and checks what was
    /// stored.</summary>
    Task PutManifestAsync(RawManifest manifest, string? tag, CancellationToken ct);
}

/// <summary>What a write did: nothing (already there), a mount, or an upload of this many bytes.</summary>
public enum BlobWriteResult
{
    AlreadyPresent,
    Mounted,
    Uploaded,
}

/// <summary>Optional help for a blob write: a repository of the same registry to mount from, and progress.</summary>
public sealed record BlobWriteHints(string? MountFromRepository = null, IProgress<long>? BytesSent = null)
{
    public static readonly BlobWriteHints None = new();
}
