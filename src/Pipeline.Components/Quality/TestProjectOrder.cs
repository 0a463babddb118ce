using System.Text.Json;
using Pipeline.Engine.Paths;
using Pipeline.Quality.Testing;

namespace Pipeline.Components.Quality;

/// <summary>
/// The order Test starts its projects in: the longest first, so the slowest project is never the last to start and the
/// run ends when it does. Durations are the last run's on this machine (<c>.nuke/temp/test-durations.json</c>); a
/// project never timed here goes first of all, the largest source first (on a fresh clone, the big suites are the slow
/// ones).
/// </summary>
internal static class TestProjectOrder
{
    public static IReadOnlyList<TestProject> Order(
        IEnumerable<TestProject> projects,
        AbsolutePath root,
        AbsolutePath durationsFile
    )
    {
        var known = Read(durationsFile);
        return projects
            .OrderBy(p => known.ContainsKey(p.Name) ? 1 : 0)
            .ThenByDescending(p =>
                known.TryGetValue(p.Name, out var seconds) ? seconds : SourceSize(root / p.ProjectFile)
            )
            .ThenBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Keeps the durations of the projects that ran (and the others' earlier ones) for the next run's
    /// order.</summary>
    public static void Record(IEnumerable<TestProjectResult> ran, AbsolutePath durationsFile)
    {
        var durations = Read(durationsFile);
        foreach (var project in ran)
            durations[project.Name] = Math.Round(project.Duration.TotalSeconds, 1);
        durationsFile.Parent.CreateDirectory();
        File.WriteAllText(
            durationsFile,
            JsonSerializer.Serialize(new SortedDictionary<string, double>(durations, StringComparer.Ordinal))
        );
    }

    private static Dictionary<string, double> Read(AbsolutePath file)
    {
        try
        {
            return File.Exists(file)
                ? JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(file)) ?? []
                : [];
        }
        catch (JsonException)
        {
            return []; // only a hint: a damaged file costs the order, never the run
        }
    }

    private static double SourceSize(AbsolutePath projectFile) =>
        Directory
            .EnumerateFiles(projectFile.Parent, "*.cs", SearchOption.AllDirectories)
            .Where(f =>
                !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains(
                    $"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}",
                    StringComparison.Ordinal
                )
            )
            // bytes as tiny "seconds": below any real duration, only their order counts
            .Sum(f => (double)new FileInfo(f).Length) / 1e9;
}
