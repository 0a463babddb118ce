namespace Pipeline.Components.Setup;

/// <summary>A command the build needs on PATH and the Debian package that provides it.</summary>
/// <param name="WithoutIt">
/// Null for a required tool. For an optional one, what the build does without it (e.g. "the local fallback registry
/// counts as unavailable"): a missing optional tool that cannot be installed is said, and the build goes on.
/// </param>
public sealed record SystemTool(string Command, string DebianPackage, string NeededFor, string? WithoutIt = null);
