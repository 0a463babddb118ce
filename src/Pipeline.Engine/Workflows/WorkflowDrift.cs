namespace Pipeline.Engine.Workflows;

/// <summary>How a committed workflow differs from what the build generates; <see cref="Detail"/> is one line for an
/// error message.</summary>
public sealed record WorkflowDrift(string RelativePath, string Detail);
