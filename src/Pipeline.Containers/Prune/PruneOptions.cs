namespace Pipeline.Containers.Prune;

/// <summary>
/// What Prune may remove: images (and build cache) created more than <see cref="OlderThan"/> before <see cref="Now"/>,
/// except images used by a container, images carrying a protected label, and images with a tag matching a protected
/// pattern.
/// </summary>
public sealed record PruneOptions
{
    /// <summary>The seeds' runner hygiene default: anything older than a day goes.</summary>
    public static readonly TimeSpan DefaultThreshold = TimeSpan.FromHours(24);

    public TimeSpan OlderThan { get; init; } = DefaultThreshold;

    /// <summary>Globs (<c>*</c>, <c>?</c>) over tags, e.g. <c>*:latest</c>, <c>localhost/base:*</c>, <c>*:v*</c>;
    /// matched against the full and the short form of each tag.</summary>
    public IReadOnlyList<string> ProtectedTagPatterns { get; init; } = [];

    /// <summary>Labels that protect an image: <c>key</c> (any value) or <c>key=value</c>.</summary>
    public IReadOnlyList<string> ProtectedLabels { get; init; } = ["org.pipeline.keep"];

    /// <summary>Whether to also prune the engine's build cache (Docker BuildKit cache; on Podman the cache is
    /// intermediate images, listed with the images).</summary>
    public bool IncludeBuildCache { get; init; } = true;

    public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;

    public DateTimeOffset Cutoff => Now - OlderThan;
}
