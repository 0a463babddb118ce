using Xunit;

namespace Pipeline.Testing;

/// <summary>
/// An xunit fact that reports itself skipped, with the reason, when a command-line tool it needs is not on PATH
/// (xunit v2 has no dynamic skip). CI installs the tools, so there the test runs.
/// <code>[RequiresToolsFact("docker-registry", "skopeo")]</code>
/// </summary>
public sealed class RequiresToolsFactAttribute : FactAttribute
{
    public RequiresToolsFactAttribute(params string[] tools)
    {
        var missing = tools.Where(t => ToolLocator.Find(t) is null).ToArray();
        if (missing.Length > 0) Skip = $"needs {string.Join(", ", missing)} on PATH (apt-get install {string.Join(' ', missing.Select(ToolLocator.DebianPackage).Distinct())})";
    }
}

/// <summary>The xunit theory counterpart of <see cref="RequiresToolsFactAttribute"/>.</summary>
public sealed class RequiresToolsTheoryAttribute : TheoryAttribute
{
    public RequiresToolsTheoryAttribute(params string[] tools)
    {
        var missing = tools.Where(t => ToolLocator.Find(t) is null).ToArray();
        if (missing.Length > 0) Skip = $"needs {string.Join(", ", missing)} on PATH (apt-get install {string.Join(' ', missing.Select(ToolLocator.DebianPackage).Distinct())})";
    }
}

public static class ToolLocator
{
    public static string? Find(string tool)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate)) return candidate;
        }

        return null;
    }

    public static string DebianPackage(string tool) => tool switch
    {
        "htpasswd" => "apache2-utils",
        "node" => "nodejs",
        _ => tool,
    };
}
