namespace Pipeline.Retention;

/// <summary>What happens to one version and why, in words fit for a log line.</summary>
public sealed record RetentionDecision(ArtifactVersion Version, bool Delete, string Reason);
