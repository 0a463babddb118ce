namespace Pipeline.Deploy.Rollout;

/// <summary>What to run: the image by digest (<c>registry/repository@sha256:…</c>), with its commit and CalVer tag for
/// labels and the ledger.</summary>
public sealed record DeployRelease(string Image, string Digest, string Commit, string Tag)
{
    public string ShortDigest => Digest.Length > 19 ? Digest[..19] : Digest;
}
