namespace Pipeline.Deploy.Rollout;

/// <summary>What to run: the image by digest (<c>registry/repository@sha256:…</c>), with its commit and CalVer tag for
/// labels and the ledger.</summary>
public sealed record DeployRelease(string Image, string Digest, string Commit, string Tag)
{
    public string ShortDigest => Digest.Length > 19 ? Digest[..19] : Digest;

    /// <summary>
    /// When <see cref="Digest"/> is a multi-platform index: the platform of the host (<c>linux/arm64</c>) and the
    /// digest of the index's image for it, which is what runs. Null for a one-platform image, or when the host did not
    /// say its platform.
    /// </summary>
    public PlatformChild? Child { get; init; }
}

/// <summary>The image of a multi-platform index that runs on a host: its platform and its own manifest
/// digest.</summary>
public sealed record PlatformChild(string Platform, string Digest)
{
    public override string ToString() => $"{Platform} {(Digest.Length > 19 ? Digest[..19] : Digest)}";
}
