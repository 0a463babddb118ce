using Pipeline.Quality.Coverage;
using Pipeline.Quality.Tests.Testing;

namespace Pipeline.Quality.Tests.Coverage;

[Collection(PassingCollection.Name)]
public sealed class PassingCoverageTests(PassingRun run)
{
    [Fact]
    public async Task Renders_html_merged_cobertura_and_markdown_and_passes_the_gates()
    {
        var target = run.Repository.File("artifacts/coverage");
        var files = await new CoverageReportGenerator(run.Log).GenerateAsync(
            run.Report.CoverageFiles,
            target,
            title: "Calc"
        );

        Assert.True(File.Exists(files.HtmlIndex));
        Assert.Contains("Calc", await File.ReadAllTextAsync(files.MarkdownSummary), StringComparison.Ordinal);
        var summary = CoberturaReader.Read([files.Cobertura], run.Repository.Path);
        var calculator = Assert.Single(summary.Files);
        Assert.Equal("Calc/Calculator.cs", calculator.Path);
        Assert.Equal("Calc", calculator.Assembly);
        Assert.Equal(100.0, summary.Percent);
        Assert.Equal(calculator.CoverableLines, calculator.CoveredLines);
        Assert.True(calculator.CoverableLines >= 5);

        var gate = CoverageGate.Evaluate(
            summary,
            new CoverageGateSettings(80, CriticalPath.ParseList(["Calc", "Calc/**/*.cs"]))
        );
        Assert.True(gate.Passed, string.Join('\n', gate.Problems));
    }
}
