using Pipeline.Registry;
using Pipeline.Registry.Images;

namespace Pipeline.SupplyChain.Sbom;

/// <summary>An image target that hands every call to another; a subclass overrides only what it watches (the blob
/// reads of a push, for <see cref="LayerIndexingSource"/>).</summary>
internal abstract class ImageTargetDecorator(IImageTarget inner) : IImageTarget
{
    protected IImageTarget Inner { get; } = inner;

    public string Location => Inner.Location;

    public virtual Task<Stream> OpenBlobAsync(Descriptor blob, CancellationToken ct) => Inner.OpenBlobAsync(blob, ct);

    public Task<RawManifest> GetManifestAsync(string tagOrDigest, CancellationToken ct) =>
        Inner.GetManifestAsync(tagOrDigest, ct);

    public Task<bool> HasBlobAsync(Descriptor blob, CancellationToken ct) => Inner.HasBlobAsync(blob, ct);

    public Task<BlobWriteResult> WriteBlobAsync(
        Descriptor blob,
        Func<CancellationToken, Task<Stream>> open,
        BlobWriteHints hints,
        CancellationToken ct
    ) => Inner.WriteBlobAsync(blob, open, hints, ct);

    public Task<Digest?> ResolveAsync(string tagOrDigest, CancellationToken ct) => Inner.ResolveAsync(tagOrDigest, ct);

    public Task PutManifestAsync(RawManifest manifest, string? tag, CancellationToken ct) =>
        Inner.PutManifestAsync(manifest, tag, ct);
}
