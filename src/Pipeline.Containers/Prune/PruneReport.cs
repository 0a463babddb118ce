namespace Pipeline.Containers.Prune;

/// <summary>What a prune did. <see cref="FreedBytes"/> is measured from the engine's disk usage before and after when
/// it reports it.</summary>
public sealed record PruneReport(
    IReadOnlyList<PruneDecision> Removed,
    IReadOnlyList<(PruneDecision Image, string Reason)> NotRemoved,
    long ListedBytes,
    long? FreedBytes,
    long BuildCacheFreedBytes
);
