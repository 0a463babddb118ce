using Pipeline.Engine.Parameters;
using Pipeline.Engine.Paths;

namespace Pipeline.Engine.Execution;

/// <summary>Hooks that optional engine features register at start-up (workflow generation lives in its own
/// folder).</summary>
internal static class BuildExtensions
{
    /// <summary>Writes .github/workflows from the build's attributes; returns the exit code.</summary>
    public static Func<Type, IReadOnlyList<ParameterDefinition>, AbsolutePath, int>? GenerateWorkflows { get; set; }
}
