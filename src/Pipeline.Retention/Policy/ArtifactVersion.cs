using Pipeline.Registry.Referrers;

namespace Pipeline.Retention;

/// <summary>
/// One stored manifest in a registry, as retention sees it: an id the registry deletes by (GHCR: the package version
/// id, GAR: the version resource name, plain OCI: the digest), its digest, tags and age, and its links in the manifest
/// graph.
/// </summary>
public sealed record ArtifactVersion(string Id, string Digest, IReadOnlyList<string> Tags, DateTimeOffset? CreatedAt)
{
    /// <summary>Digests this manifest lists (an index's platform images and attestation manifests).</summary>
    public IReadOnlyList<string> Children { get; init; } = [];

    /// <summary>The digest this manifest refers to (OCI 1.1 <c>subject</c>: signatures, SBOMs, attestations).</summary>
    public string? Subject { get; init; }

    public long? SizeBytes { get; init; }

    public bool IsTagged => Tags.Count > 0;

    /// <summary>A signature, attestation or SBOM in cosign's tag schema: named only by tags like
    /// <c>sha256-&lt;hex&gt;.sig</c>.</summary>
    public bool IsAttachment => Tags.Count > 0 && Tags.All(t => AttachmentTag.SubjectOf(t) is not null);

    /// <summary>What this manifest belongs to: its OCI 1.1 subject, else the digest its attachment tag names; kept and
    /// deleted with it.</summary>
    public string? AttachedTo => Subject ?? (IsAttachment ? AttachmentTag.SubjectOf(Tags[0])!.Value.ToString() : null);

    /// <summary>How the version is named in logs: its tags, or its digest when untagged.</summary>
    public string Display => IsTagged ? $"{string.Join(", ", Tags)} ({ShortDigest})" : ShortDigest;

    public string ShortDigest => Digest.Length > 19 ? Digest[..19] : Digest;
}
