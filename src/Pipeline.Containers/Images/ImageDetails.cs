namespace Pipeline.Containers.Images;

/// <summary>
/// A local image as the engine describes it. <see cref="Digest"/> is the manifest digest the engine knows
/// (Podman always has one; Docker only after a push or with the containerd store), so it may be null.
/// </summary>
public sealed record ImageDetails(
    string Id,
    string? Digest,
    long Size,
    int LayerCount,
    IReadOnlyList<string> Tags,
    DateTimeOffset? Created,
    IReadOnlyDictionary<string, string> Labels
);
