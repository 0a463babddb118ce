using Xunit;

namespace Pipeline.Testing.Quality;

/// <summary>A fact that is reported as skipped, with the reason, when a tool it needs is not on PATH (CI installs them).</summary>
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(params string[] tools)
    {
        var missing = tools.Where(t => !OnPath(t)).ToList();
        if (missing.Count > 0) Skip = $"needs {string.Join(", ", missing)} on PATH (CI installs it)";
    }

    public static bool OnPath(string tool)
        => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, tool)));
}
