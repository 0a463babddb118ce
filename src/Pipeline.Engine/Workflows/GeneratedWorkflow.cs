namespace Pipeline.Engine.Workflows;

/// <summary>One workflow file: its path relative to the repository root (<c>.github/workflows/pr.yml</c>) and its
/// content.</summary>
public sealed record GeneratedWorkflow(string RelativePath, string Yaml);
