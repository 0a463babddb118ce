namespace Pipeline.Registry.Referrers;

/// <summary>
/// The tag schema cosign reads and writes where a registry has no referrers API: the attachments of
/// <c>sha256:&lt;hex&gt;</c> live under the tags <c>sha256-&lt;hex&gt;.sig</c> (signatures), <c>.att</c> (attestations)
/// and <c>.sbom</c> (the SBOM), in the image's own repository.
/// </summary>
public static class AttachmentTag
{
    public const string Signature = "sig";
    public const string Attestation = "att";
    public const string Sbom = "sbom";

    public static readonly string[] Kinds = [Signature, Attestation, Sbom];

    public static string For(Digest subject, string kind) => $"{subject.Algorithm}-{subject.Hex}.{kind}";

    /// <summary>The digest an attachment tag belongs to, or null when <paramref name="tag"/> is not one.</summary>
    public static Digest? SubjectOf(string tag)
    {
        var dot = tag.LastIndexOf('.');
        if (dot < 0 || !Kinds.Contains(tag[(dot + 1)..]))
            return null;
        var dash = tag.IndexOf('-');
        if (dash <= 0 || dash > dot)
            return null;
        return Digest.TryParse($"{tag[..dash]}:{tag[(dash + 1)..dot]}", out var digest) ? digest : null;
    }

    /// <summary>Which kind an artifact type stands for (so referrers found through the API land under the right
    /// tag).</summary>
    public static string? KindOf(string? artifactType) =>
        artifactType switch
        {
            ArtifactTypes.Signature => Signature,
            ArtifactTypes.Attestation => Attestation,
            ArtifactTypes.Sbom => Sbom,
            _ => null,
        };
}
