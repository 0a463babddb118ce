using Pipeline.Engine.Caching;
using Pipeline.Engine.Output;
using Pipeline.Engine.Paths;
using Pipeline.Quality.Testing;

namespace Pipeline.Components.Quality;

/// <summary>
/// Test's cache, one entry per test project: the key covers the project's folder and those of every project it
/// references, the target's shared inputs (SDK, central package versions, filter, tools) and whether coverage is
/// collected. Hits restore the project's TRX, JUnit and coverage files; only the misses run, in one <c>dotnet test</c>.
/// </summary>
internal static class TestProjectCache
{
    public static async Task<TestCacheState?> RestoreAsync(
        ITest build,
        AbsolutePath solution,
        AbsolutePath results,
        bool collectCoverage
    )
    {
        var root = build.RootDirectory;
        var projects = TestProjects.Find(solution, root);
        if (projects.Count == 0)
            return null;
        if (Directory.Exists(results))
            Directory.Delete(results, recursive: true); // stale results would be counted again
        var parts = new List<TestPart>();
        foreach (var project in projects)
        {
            var record = await TargetCache.RecordAsync(
                project.Name,
                new CacheInputs()
                    .Files([.. project.Folders.Select(f => f + "/**")])
                    .Value("project", () => project.ProjectFile)
                    .Value("coverage", () => collectCoverage ? "collected" : "off")
            );
            var hit = TargetCache.Verifying ? null : await TargetCache.TryRestoreAsync(record);
            parts.Add(new TestPart(project, record, hit));
        }

        var hits = parts.Where(p => p.Hit is not null).ToList();
        var missed = parts.Where(p => p.Hit is null).ToList();
        if (missed.Count == 0)
            TargetCache.ServedWhole(hits.Select(h => h.Hit!).ToList());
        else if (hits.Count > 0)
            Log.Info(
                $"Test: {hits.Count} project(s) cached, running {missed.Count}: "
                    + $"{string.Join(", ", missed.Select(m => m.Project.Name))}"
            );
        var target =
            missed.Count == parts.Count || missed.Count == 0 ? null
            : missed.Count == 1 ? root / missed[0].Project.ProjectFile
            : SolutionFilter.Write(
                solution,
                missed.Select(m => root / m.Project.ProjectFile),
                root / ".nuke" / "temp" / "test-changed.slnf"
            );
        return new TestCacheState(hits, missed, target);
    }

    /// <summary>The report of a run served entirely from the cache: the restored TRX files read as a run would read
    /// them.</summary>
    public static TestRunReport ReadRestored(AbsolutePath results, AbsolutePath root)
    {
        var projects = Directory
            .EnumerateFiles(results, "*.trx")
            .Order(StringComparer.Ordinal)
            .Select(trx => TrxReader.Read(trx, root) with { TrxPath = trx })
            .ToList();
        return new TestRunReport(0, projects, DotnetTestRunner.FindCoverageFiles(results), TimeSpan.Zero);
    }

    /// <summary>Saves each project that ran and passed; the run's wall time is shared among them by their test
    /// time.</summary>
    public static async Task SaveAsync(
        TestCacheState state,
        TestRunReport report,
        AbsolutePath root,
        AbsolutePath results,
        TimeSpan wallTime
    )
    {
        var ran = state
            .Missed.Select(m => (Part: m, Result: report.Projects.FirstOrDefault(p => p.Name == m.Project.Name)))
            .ToList();
        var testTime = Math.Max(0.001, ran.Sum(r => r.Result?.Duration.TotalSeconds ?? 0));
        foreach (var (part, result) in ran)
        {
            if (result is null || result.Failed > 0 || result.RunErrors.Count > 0 || result.TrxPath is null)
                continue; // only passing runs are worth replaying
            var files = new List<string> { Relative(root, result.TrxPath) };
            if (result.JUnitPath is { } junit && File.Exists(junit))
                files.Add(Relative(root, junit));
            if (DotnetTestRunner.CoverageFileOf(result.TrxPath) is { } coverage)
            {
                // Restored under a folder of its own, where Coverage looks for one file per project.
                var kept = results / $"{result.Name}.coverage" / "coverage.cobertura.xml";
                kept.Parent.CreateDirectory();
                File.Copy(coverage, kept, overwrite: true);
                files.Add(Relative(root, kept));
                var original = DotnetTestRunner
                    .FindCoverageFiles(results)
                    .FirstOrDefault(f =>
                        FilesEqual(f, coverage) && !f.StartsWith(kept.Parent, StringComparison.Ordinal)
                    );
                // one copy per project, or Coverage counts it twice
                if (original is not null)
                    Directory.Delete(Path.GetDirectoryName(original)!, recursive: true);
            }

            var share =
                wallTime
                * ((result.Duration.TotalSeconds > 0 ? result.Duration.TotalSeconds : testTime / ran.Count) / testTime);
            await TargetCache.SaveAsync(part.Record, files, share);
        }

        TargetCache.Produced(state.Hits.Concat(state.Missed).Select(p => p.Record.Key));
    }

    private static bool FilesEqual(string a, string b) =>
        new FileInfo(a).Length == new FileInfo(b).Length
        && File.ReadAllBytes(a).AsSpan().SequenceEqual(File.ReadAllBytes(b));

    private static string Relative(AbsolutePath root, string path) =>
        Path.GetRelativePath(root, path).Replace('\\', '/');
}
