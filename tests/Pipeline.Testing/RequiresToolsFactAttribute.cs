using Pipeline.Processes;
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
        if (missing.Length > 0)
            Skip =
                $"needs {string.Join(", ", missing)} on PATH (apt-get install "
                + $"{string.Join(' ', missing.Select(DebianPackages.For).Distinct())})";
    }
}

/// <summary>The xunit theory counterpart of <see cref="RequiresToolsFactAttribute"/>.</summary>
public sealed class RequiresToolsTheoryAttribute : TheoryAttribute
{
    public RequiresToolsTheoryAttribute(params string[] tools)
    {
        var missing = tools.Where(t => ToolLocator.Find(t) is null).ToArray();
        if (missing.Length > 0)
            Skip =
                $"needs {string.Join(", ", missing)} on PATH (apt-get install "
                + $"{string.Join(' ', missing.Select(DebianPackages.For).Distinct())})";
    }
}

/// <summary>The Debian package that provides a tool, for skip reasons and install hints.</summary>
public static class DebianPackages
{
    public static string For(string tool) =>
        tool switch
        {
            "htpasswd" => "apache2-utils",
            "node" => "nodejs",
            _ => tool,
        };
}
