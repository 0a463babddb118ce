using System.Text;
using Pipeline.Registry.Images;

namespace Pipeline.Registry.Referrers;

/// <summary>
/// The manifest that carries attachments of one kind for one image, in the shape cosign writes: an OCI image manifest
/// whose layers are the signed payloads (each with its annotations), a minimal config listing them, plus the OCI 1.1
/// <c>subject</c> and <c>artifactType</c> so registries with the referrers API index it under the image.
/// </summary>
internal sealed record AttachmentManifest(RawManifest Manifest, byte[] Config)
{
    public static AttachmentManifest Create(string kind, Descriptor subject, IReadOnlyList<Descriptor> layers)
    {
        // cosign's config: empty platform, one history entry, the layer digests as diff IDs (the layers are not tars).
        var diffIds = string.Join(",", layers.Select(l => $"\"{l.Digest}\""));
        var config = Encoding.UTF8.GetBytes(
            $$$"""{"architecture":"","created":"0001-01-01T00:00:00Z","hist"""
                + $$$"""ory":[{"created":"0001-01-01T00:00:00Z"}],"os":"","rootf"""
                + $$$"""s":{"type":"layers","diff_ids":[{{{diffIds}}}]},"config":{}}"""
        );
        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            ArtifactType = ArtifactTypeOf(kind),
            Config = new Descriptor
            {
                MediaType = MediaTypes.OciConfig,
                Digest = Digest.Sha256(config),
                Size = config.Length,
            },
            Layers = layers,
            Subject = new Descriptor
            {
                MediaType = subject.MediaType,
                Digest = subject.Digest,
                Size = subject.Size,
            },
        };
        return new AttachmentManifest(RawManifest.From(manifest), config);
    }

    /// <summary>
    /// One manifest holding the layers of both (the tag schema keeps one manifest per kind): existing layers first, new
    /// ones appended unless a layer with the same digest and annotations is already there. Null when nothing is new.
    /// </summary>
    public static AttachmentManifest? Merge(
        string kind,
        Descriptor subject,
        ImageManifest existing,
        ImageManifest incoming
    )
    {
        var layers = existing.Layers.ToList();
        foreach (var layer in incoming.Layers)
        {
            if (!layers.Any(l => l.Digest == layer.Digest && SameAnnotations(l, layer)))
                layers.Add(layer);
        }

        return layers.Count == existing.Layers.Count ? null : Create(kind, subject, layers);
    }

    public static string ArtifactTypeOf(string kind) =>
        kind switch
        {
            AttachmentTag.Signature => ArtifactTypes.Signature,
            AttachmentTag.Attestation => ArtifactTypes.Attestation,
            AttachmentTag.Sbom => ArtifactTypes.Sbom,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "sig, att or sbom"),
        };

    private static bool SameAnnotations(Descriptor a, Descriptor b)
    {
        var left = a.Annotations ?? new Dictionary<string, string>();
        var right = b.Annotations ?? new Dictionary<string, string>();
        return left.Count == right.Count && left.All(p => right.TryGetValue(p.Key, out var v) && v == p.Value);
    }
}
