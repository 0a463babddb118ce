namespace Pipeline.Retention;

/// <summary>What a retention run decided and did. In a dry run, <see cref="Deleted"/> is empty and <see cref="Plan"/>
/// says what would go.</summary>
public sealed record RetentionReport(
    string Target,
    RetentionPlan Plan,
    bool Applied,
    IReadOnlyList<RetentionDecision> Deleted,
    IReadOnlyList<(RetentionDecision Decision, string Error)> Failed,
    IReadOnlyList<RetentionDecision> Skipped
)
{
    public long BytesFreed => Deleted.Sum(d => d.Version.SizeBytes ?? 0);

    public bool Succeeded => Failed.Count == 0 && Skipped.Count == 0;
}
