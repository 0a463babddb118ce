using Pipeline.Registry.Copying;

namespace Pipeline.Registry.Failover;

/// <summary>Where the image went: the primary, or a fallback with the record that Reconcile will act on.</summary>
public sealed record PushOutcome(
    RegistryDestination Destination,
    CopyResult Result,
    bool FellBack,
    FallbackRecord? Record,
    string? RecordPath,
    IReadOnlyList<string> Failures
)
{
    /// <summary>Full references of what was written (registry/repo:tag, or the archive path).</summary>
    public IReadOnlyList<string> References =>
        Destination.IsArchive ? [Record?.HeldAt ?? Result.Target]
        : Result.Tags.Count == 0 ? [$"{Destination.Repository!.Name}@{Result.Digest}"]
        : Result.Tags.Select(t => $"{Destination.Repository!.Name}:{t}").ToArray();
}
