using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Pipeline.Quality.Solutions;

/// <summary>
/// The project files a solution (.sln, .slnx) names, as full paths, read from the file itself: no MSBuild evaluation,
/// so it is instant. A project file given in place of a solution is its own single project.
/// </summary>
public static partial class SolutionProjects
{
    public static IReadOnlyList<string> Of(string solution)
    {
        var full = Path.GetFullPath(solution);
        var directory = Path.GetDirectoryName(full)!;
        var paths =
            full.EndsWith(".slnx", StringComparison.OrdinalIgnoreCase)
                ? XDocument.Load(full).Descendants("Project").Select(p => (string?)p.Attribute("Path")).OfType<string>()
            : full.EndsWith("proj", StringComparison.OrdinalIgnoreCase) ? [Path.GetFileName(full)]
            : File.ReadLines(full)
                .Select(line => SlnProject().Match(line))
                .Where(m => m.Success)
                .Select(m => m.Groups["path"].Value);
        return paths
            .Where(p => p.EndsWith("proj", StringComparison.Ordinal))
            .Select(p => Path.GetFullPath(Path.Combine(directory, p.Replace('\\', Path.DirectorySeparatorChar))))
            .ToList();
    }

    [GeneratedRegex(""""^Project\("\{[^}]+\}"\)\s*=\s*"[^"]*",\s*"(?<path>[^"]+)"""")]
    private static partial Regex SlnProject();
}
