namespace Pipeline.Registry.Images;

/// <summary>Where images are read from: a registry repository or an OCI layout on disk.</summary>
public interface IImageSource
{
    /// <summary>For logs and records: <c>ghcr.io/o/n</c>, <c>oci-layout:/path</c>.</summary>
    string Location { get; }

    /// <summary>A manifest or index by tag or digest; the bytes are verified against the digest when one is
    /// given.</summary>
    Task<RawManifest> GetManifestAsync(string tagOrDigest, CancellationToken ct);

    /// <summary>The blob's content; reading to the end throws when it does not match the descriptor's digest.</summary>
    Task<Stream> OpenBlobAsync(Descriptor blob, CancellationToken ct);
}
