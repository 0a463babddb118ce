using Pipeline.Quality.Testing;
using Pipeline.Testing;
using Pipeline.Testing.Quality;

namespace Pipeline.Components.Tests.Quality;

/// <summary>Coverage after Test on a healthy fixture: one test run, every report. Real dotnet test, coverlet and
/// ReportGenerator; one class each so they run side by side.</summary>
public sealed class HealthyCoverageTargetTests
{
    [Fact]
    public async Task Coverage_on_a_healthy_solution_reuses_the_test_run_and_writes_every_report()
    {
        using var repo = new FixtureRepository("passing");

        var run = await BuildRun.RunAsync(
            new QualityBuild(),
            repo.Path,
            null,
            "Coverage",
            "--coverage-critical-paths",
            "Calc"
        );

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("\nTests: 3 passed, 0 failed, 1 skipped\n", run.Output, StringComparison.Ordinal);
        Assert.Contains("Calc.Tests: 3 passed, 0 failed, 1 skipped", run.Output, StringComparison.Ordinal);
        Assert.Contains("Coverage: 100.0% (", run.Output, StringComparison.Ordinal);
        Assert.Contains("Coverage gates passed: 80% overall, 100% on Calc", run.Output, StringComparison.Ordinal);
        // One test run only: VSTest announces each test assembly run once.
        Assert.Single(run.Output.Split('\n'), l => l.StartsWith("Test run for ", StringComparison.Ordinal));
        foreach (
            var artifact in new[]
            {
                "test-results/Calc.Tests.trx",
                "test-results/Calc.Tests.junit.xml",
                "coverage/index.html",
                "coverage/Cobertura.xml",
                "coverage/SummaryGithub.md",
            }
        )
        {
            Assert.True(File.Exists(repo.File("artifacts/" + artifact)), artifact);
        }

        var summary = File.ReadAllText(repo.File("artifacts/summary.md"));
        Assert.Contains("**Tests: 3 passed, 0 failed, 1 skipped**", summary, StringComparison.Ordinal);
        Assert.Contains("### Coverage: 100.0% ✅", summary, StringComparison.Ordinal);
        // The run report: each gate against its bar (the critical path's too), and the tests section beside it.
        var report = File.ReadAllText(repo.File("artifacts/report/index.html"));
        Assert.Matches(
            @"<tr><td>overall</td><td>100\.0%</td><td>\d+/\d+</td><td>80\.0%</td><td>passed</td><td>no "
                + @"earlier figure</td></tr>",
            report
        );
        Assert.Matches(
            @"<tr><td>Calc</td><td>100\.0%</td><td>\d+/\d+</td><td>100\.0%</td><td>passed</td><td>no "
                + @"earlier figure</td></tr>",
            report
        );
        Assert.Contains("<tr><td>Calc.Tests</td><td>3</td><td>0</td><td>1</td>", report, StringComparison.Ordinal);
    }
}
