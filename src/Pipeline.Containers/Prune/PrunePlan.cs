namespace Pipeline.Containers.Prune;

/// <summary>What a prune would do: every image with its decision, and the build-cache records past the
/// cutoff.</summary>
public sealed record PrunePlan(
    PruneOptions Options,
    IReadOnlyList<PruneDecision> Images,
    IReadOnlyList<BuildCacheRecord> BuildCache
)
{
    public IEnumerable<PruneDecision> ToRemove => Images.Where(i => i.Remove);

    public IEnumerable<PruneDecision> ToKeep => Images.Where(i => !i.Remove);

    /// <summary>Sum of the listed sizes: an upper bound, since images share layers.</summary>
    public long ListedBytes => ToRemove.Sum(i => i.Size) + BuildCache.Sum(c => c.Size);
}

/// <summary>A BuildKit cache record (Docker) old enough to go.</summary>
public sealed record BuildCacheRecord(string Id, string Type, long Size, DateTimeOffset LastUsed, bool InUse);
