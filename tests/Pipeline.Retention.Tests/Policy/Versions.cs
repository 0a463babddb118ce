namespace Pipeline.Retention.Tests.Policy;

/// <summary>Compact version builders for the policy tables: digests are readable names, ages are days before <see
/// cref="Now"/>.</summary>
internal static class Versions
{
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    public static ArtifactVersion V(string digest, double? ageDays, params string[] tags) =>
        new(digest, "sha256:" + digest, tags, ageDays is { } d ? Now - TimeSpan.FromDays(d) : null);

    public static ArtifactVersion Index(string digest, double? ageDays, string[] children, params string[] tags) =>
        V(digest, ageDays, tags) with
        {
            Children = children.Select(c => "sha256:" + c).ToList(),
        };

    public static ArtifactVersion Referrer(string digest, double? ageDays, string subject) =>
        V(digest, ageDays) with
        {
            Subject = "sha256:" + subject,
        };

    public static string[] Deleted(this RetentionPlan plan) =>
        plan.Deletions.Select(d => d.Version.Digest["sha256:".Length..]).ToArray();

    public static string[] KeptNames(this RetentionPlan plan) =>
        plan.Kept.Select(d => d.Version.Digest["sha256:".Length..]).Order().ToArray();

    public static string ReasonFor(this RetentionPlan plan, string digest) =>
        plan.Deletions.Concat(plan.Kept).Single(d => d.Version.Digest == "sha256:" + digest).Reason;
}
