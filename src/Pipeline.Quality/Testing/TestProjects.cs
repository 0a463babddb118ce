using System.Xml.Linq;

namespace Pipeline.Quality.Testing;

/// <summary>
/// The test projects of a solution and, for each, the folders its result depends on: its own and those of every
/// project it references, transitively. Read from the .sln/.slnx and the project files' <c>ProjectReference</c>
/// items (no MSBuild evaluation: conditions on references are ignored, which only makes the set larger).
/// </summary>
public static class TestProjects
{
    public static IReadOnlyList<TestProject> Find(string solution, string root)
    {
        return Solutions
            .SolutionProjects.Of(solution)
            .Where(File.Exists)
            .Where(IsTestProject)
            .Select(p => new TestProject(
                Path.GetFileNameWithoutExtension(p),
                Relative(root, p),
                Closure(p).Select(d => Relative(root, d)).Order(StringComparer.Ordinal).ToList()
            ))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The test SDK or the IsTestProject property, in the project or a Directory.Build.props above it, or the
    /// usual name.</summary>
    private static bool IsTestProject(string project)
    {
        var name = Path.GetFileNameWithoutExtension(project);
        if (name.EndsWith(".Tests", StringComparison.Ordinal) || name.EndsWith(".Test", StringComparison.Ordinal))
            return true;
        var text = File.ReadAllText(project);
        return text.Contains("Microsoft.NET.Test.Sdk", StringComparison.Ordinal)
            || text.Contains("<IsTestProject>true", StringComparison.OrdinalIgnoreCase);
    }

    private static HashSet<string> Closure(string project)
    {
        var folders = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([project]);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            if (!seen.Add(current) || !File.Exists(current))
                continue;
            var directory = Path.GetDirectoryName(current)!;
            folders.Add(directory);
            foreach (
                var reference in XDocument
                    .Load(current)
                    .Descendants()
                    .Where(e => e.Name.LocalName == "ProjectReference")
            )
            {
                if ((string?)reference.Attribute("Include") is { Length: > 0 } include)
                {
                    queue.Enqueue(
                        Path.GetFullPath(Path.Combine(directory, include.Replace('\\', Path.DirectorySeparatorChar)))
                    );
                }
            }
        }

        return folders;
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
}
