using Pipeline.Quality.Coverage;
using Pipeline.Quality.Tests.Testing;

namespace Pipeline.Quality.Tests.Coverage;

[Collection(LowCoverageCollection.Name)]
public sealed class LowCoverageTests(LowCoverageRun run)
{
    private CoverageSummary Summary => CoberturaReader.Read(run.Report.CoverageFiles, run.Repository.Path);

    [Fact]
    public void The_tests_pass_but_measure_only_the_square()
    {
        Assert.True(run.Report.Succeeded);
        Assert.Equal("Tests: 2 passed, 0 failed, 0 skipped", run.Report.SummaryLine);
        var square = Summary.Files.Single(f => f.Path == "Shapes/Square.cs");
        var circle = Summary.Files.Single(f => f.Path == "Shapes/Circle.cs");
        Assert.Equal(100.0, square.Percent);
        Assert.Equal(0, circle.CoveredLines);
        Assert.True(Summary.Percent < 80, Summary.Describe());
    }

    [Fact]
    public void The_overall_gate_fails_listing_the_files_under_the_bar_with_figures()
    {
        var summary = Summary;
        var gate = CoverageGate.Evaluate(summary, new CoverageGateSettings(80, []));
        Assert.False(gate.Passed);
        var circle = summary.Files.Single(f => f.Path == "Shapes/Circle.cs");
        Assert.Equal(
            [
                $"line coverage {summary.Describe()} is below the 80% bar; files under it: 1",
                $"  Shapes/Circle.cs: 0.0% (0/{circle.CoverableLines} lines; "
                    + $"uncovered {LineRanges.Format(circle.UncoveredLines)})",
            ],
            gate.Problems
        );
        Assert.Equal([circle], gate.FilesUnderBar);
    }

    [Fact]
    public void A_critical_namespace_must_be_fully_covered_even_when_the_overall_bar_is_met()
    {
        var gate = CoverageGate.Evaluate(
            Summary,
            new CoverageGateSettings(
                0,
                CriticalPath.ParseList(["Shapes/Square.cs", "Shapes"]),
                "COVERAGE_CRITICAL_PATHS"
            )
        );
        Assert.False(gate.Passed);
        Assert.StartsWith("critical path 'Shapes' is at ", gate.Problems[0], StringComparison.Ordinal);
        Assert.Contains("100% required; files under it: 1", gate.Problems[0], StringComparison.Ordinal);
        Assert.StartsWith("  Shapes/Circle.cs: 0.0% (0/", gate.Problems[1], StringComparison.Ordinal);
        Assert.Equal(2, gate.Problems.Count);
    }

    [Fact]
    public void A_critical_path_that_matches_nothing_is_an_error_naming_its_source()
    {
        var gate = CoverageGate.Evaluate(
            Summary,
            new CoverageGateSettings(
                0,
                CriticalPath.ParseList(["Shapes.Triangles"]),
                "deploy/config.env COVERAGE_CRITICAL_PATHS"
            )
        );
        Assert.Equal(
            [
                "critical path 'Shapes.Triangles' (from deploy/config.env COVERAGE_CRITICAL_PATHS) "
                    + "matches no measured file: check the name, or whether its tests ran",
            ],
            gate.Problems
        );
    }
}
