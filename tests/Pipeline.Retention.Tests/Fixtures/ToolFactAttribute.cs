namespace Pipeline.Retention.Tests.Fixtures;

/// <summary>A fact that reports "skipped" with the reason when a required tool is not installed (CI installs them, so there it runs).</summary>
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(params string[] tools)
    {
        var missing = tools.Where(t => Tools.Find(t) is null).ToList();
        if (missing.Count > 0) Skip = $"needs {string.Join(", ", missing)} on PATH (apt-get install {string.Join(" ", missing)})";
    }
}

internal static class Tools
{
    public static string? Find(string tool)
        => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);
}
