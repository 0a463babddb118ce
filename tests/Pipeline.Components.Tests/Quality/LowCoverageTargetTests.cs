using Pipeline.Quality.Testing;
using Pipeline.Testing;
using Pipeline.Testing.Quality;

namespace Pipeline.Components.Tests.Quality;

/// <summary>Coverage on a fixture under the bar. Real dotnet test, coverlet and ReportGenerator; one class each so they
/// run side by side.</summary>
public sealed class LowCoverageTargetTests
{
    [Fact]
    public async Task Coverage_below_the_bar_fails_listing_the_files_with_their_figures()
    {
        using var repo = new FixtureRepository("low-coverage");

        var run = await BuildRun.RunAsync(
            new QualityBuild(),
            repo.Path,
            null,
            "Coverage",
            "--coverage-critical-paths",
            "Shapes/Square.cs,Shapes.Triangles"
        );

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("\nTests: 2 passed, 0 failed, 0 skipped\n", run.Output, StringComparison.Ordinal);
        Assert.Matches(
            @"error: line coverage \d+\.\d% \(\d+/\d+ lines in 2 files\) is below the 80% bar; files under it: 1",
            run.Output
        );
        Assert.Matches(
            @"warning: Shapes/Circle\.cs:\d+: coverage 0\.0% \(0/\d+ lines; uncovered [\d, -]+\) is under the bar",
            run.Output
        );
        Assert.Contains(
            "error: critical path 'Shapes.Triangles' (from CoverageCriticalPaths "
                + "from command line --coverage-critical-paths) matches no measured file",
            run.Output,
            StringComparison.Ordinal
        );
        Assert.DoesNotContain("critical path 'Shapes/Square.cs'", run.Output, StringComparison.Ordinal);
        Assert.Contains(
            "Coverage gates failed: 2 problem(s), 1 file(s) under the bar (listed above)",
            run.Output,
            StringComparison.Ordinal
        );
        Assert.Contains(
            "### Coverage: ",
            File.ReadAllText(repo.File("artifacts/summary.md")),
            StringComparison.Ordinal
        );
        // The run report marks each failed gate: the overall bar, and the critical path that matched nothing.
        var report = File.ReadAllText(repo.File("artifacts/report/index.html"));
        Assert.Matches(
            @"<tr class=""failed""><td>overall</td><td>\d+\.\d%</td><td>\d+/\d+</td><td>80\.0%</td><td>failed</td>",
            report
        );
        Assert.Contains(
            "<tr class=\"failed\"><td>Shapes.Triangles</td><td>0.0%</td><td></td><td>100.0%</td><td>failed</td>",
            report,
            StringComparison.Ordinal
        );
        Assert.Matches(@"<tr><td>Shapes/Square\.cs</td><td>100\.0%</td>", report);
    }
}
