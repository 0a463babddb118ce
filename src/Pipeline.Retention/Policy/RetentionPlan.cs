namespace Pipeline.Retention;

/// <summary>
/// The outcome of a policy over a repository. <see cref="Deletions"/> is in a safe order: an index before the manifests
/// it lists, a referrer (signature, attestation) before its subject, so stopping part-way never leaves a kept manifest
/// pointing at a deleted one.
/// </summary>
public sealed record RetentionPlan(IReadOnlyList<RetentionDecision> Deletions, IReadOnlyList<RetentionDecision> Kept)
{
    public long BytesToFree => Deletions.Sum(d => d.Version.SizeBytes ?? 0);
}
