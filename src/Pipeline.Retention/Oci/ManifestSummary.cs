namespace Pipeline.Retention;

/// <summary>
/// A manifest reduced to what retention decides on: its children (an index's manifests), its subject (OCI 1.1
/// referrers), its creation time (image config <c>created</c>, or an index's <c>org.opencontainers.image.created</c>
/// annotation) and size (manifest, config and layers; for an index, the manifest alone, since its children are versions
/// of their own).
/// </summary>
public sealed record ManifestSummary(
    string Digest,
    string MediaType,
    IReadOnlyList<string> Children,
    string? Subject,
    DateTimeOffset? Created,
    long? Size
);
