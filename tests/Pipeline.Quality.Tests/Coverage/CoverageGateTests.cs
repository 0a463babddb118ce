using Pipeline.Quality.Coverage;

namespace Pipeline.Quality.Tests.Coverage;

public sealed class CoverageGateTests
{
    private static FileCoverage File(
        string path,
        int covered,
        int total,
        string assembly = "Lib",
        string cls = "Lib.Code"
    ) =>
        new(
            path,
            assembly,
            new HashSet<string> { cls },
            Enumerable.Range(1, total).ToDictionary(l => l, l => l <= covered ? 1 : 0)
        );

    [Fact]
    public void A_figure_just_under_the_bar_fails_and_never_prints_as_the_bar()
    {
        // 7998/10000 = 79.98%: rounding to 80.0% would hide the miss.
        var summary = new CoverageSummary([File("a.cs", 7998, 10000)]);
        var gate = CoverageGate.Evaluate(summary, new CoverageGateSettings(80, []));
        Assert.False(gate.Passed);
        Assert.Contains("79.9%", gate.Problems[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Exactly_the_bar_passes() =>
        Assert.True(
            CoverageGate.Evaluate(new CoverageSummary([File("a.cs", 8, 10)]), new CoverageGateSettings(80, [])).Passed
        );

    [Fact]
    public void Nothing_measured_is_a_failure_not_a_pass()
    {
        var gate = CoverageGate.Evaluate(new CoverageSummary([]), new CoverageGateSettings(80, []));
        Assert.StartsWith("no coverable line was measured", Assert.Single(gate.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Uncovered_lines_are_shown_as_ranges()
    {
        Assert.Equal("1-3, 7, 9-10", LineRanges.Format([1, 2, 3, 7, 9, 10]));
        Assert.Equal("1, 3, … (2 more)", LineRanges.Format([1, 3, 5, 7], maxRanges: 2));
        Assert.Equal("b.cs: 50.0% (2/4 lines; uncovered 3-4)", File("b.cs", 2, 4).Describe());
    }

    [Theory]
    [InlineData("Pipeline.Engine", "x/Any.cs", "Pipeline.Engine", "Other.Type", true)]
    [InlineData("Pipeline.Engine", "x/Any.cs", "Pipeline.Components", "Pipeline.Engine.Graph.Planner", true)]
    [InlineData("Pipeline.Engine", "x/Any.cs", "Pipeline.Components", "Pipeline.EngineX.Type", false)]
    [InlineData(
        "src/Pipeline.Engine/Output/SecretMasker.cs",
        "src/Pipeline.Engine/Output/SecretMasker.cs",
        "A",
        "B.C",
        true
    )]
    [InlineData("src/Pipeline.Engine/Graph/**", "src/Pipeline.Engine/Graph/Planner.cs", "A", "B.C", true)]
    [InlineData("src/Pipeline.Engine/Graph/**", "src/Pipeline.Engine/Output/Log.cs", "A", "B.C", false)]
    public void Critical_paths_match_assemblies_namespaces_and_files(
        string entry,
        string path,
        string assembly,
        string cls,
        bool matches
    ) => Assert.Equal(matches, new CriticalPath(entry).Matches(File(path, 1, 1, assembly, cls)));

    [Fact]
    public void A_malformed_critical_path_is_refused_with_its_text()
    {
        var error = Assert.Throws<ArgumentException>(() => CriticalPath.ParseList(["Pipeline.Engine;Pipe|line"]));
        Assert.StartsWith(
            "'Pipe|line' is neither an assembly or namespace name nor a file path or glob",
            error.Message,
            StringComparison.Ordinal
        );
        Assert.Equal(["A", "B.C", "d/e.cs"], CriticalPath.ParseList(["A, B.C;  d/e.cs", "A"]).Select(p => p.Entry));
    }
}
