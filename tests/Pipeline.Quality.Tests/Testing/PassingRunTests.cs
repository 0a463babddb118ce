using System.Xml.Linq;
using Pipeline.Quality.Testing;

namespace Pipeline.Quality.Tests.Testing;

[Collection(PassingCollection.Name)]
public sealed class PassingRunTests(PassingRun run)
{
    [Fact]
    public void Counts_every_outcome_and_prints_the_total_line()
    {
        Assert.Equal(0, run.Report.ExitCode);
        Assert.True(run.Report.Succeeded);
        var project = Assert.Single(run.Report.Projects);
        Assert.Equal("Calc.Tests", project.Name);
        Assert.Equal((3, 0, 1), (project.Passed, project.Failed, project.Skipped));
        Assert.Equal("Tests: 3 passed, 0 failed, 1 skipped", run.Report.SummaryLine);
    }

    [Fact]
    public void Writes_trx_and_junit_named_after_the_project()
    {
        Assert.True(File.Exists(Path.Combine(run.Results, "Calc.Tests.trx")));
        var junit = XDocument.Load(Path.Combine(run.Results, "Calc.Tests.junit.xml"));
        var suite = junit.Root!.Element("testsuite")!;
        Assert.Equal("4", (string?)suite.Attribute("tests"));
        Assert.Equal("1", (string?)suite.Attribute("skipped"));
        Assert.Equal("0", (string?)suite.Attribute("failures"));
        var skipped = suite.Elements("testcase").Single(c => c.Element("skipped") is not null);
        Assert.Equal("Calc.Tests.CalculatorTests", (string?)skipped.Attribute("classname"));
        Assert.Equal("Skipped", (string?)skipped.Attribute("name"));
    }

    [Fact]
    public void Collects_coverage_in_the_same_run()
    {
        var file = Assert.Single(run.Report.CoverageFiles);
        Assert.Contains("Calculator.cs", File.ReadAllText(file), StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_progress_per_finished_project()
    {
        var line = Assert.Single(run.ProgressLines);
        Assert.Contains("Calc.Tests.dll", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_run_starts_from_a_clean_results_folder()
    {
        // The runner deletes earlier results first, so stale TRX files are never counted twice.
        var stale = DotnetTestRunner.FindCoverageFiles(run.Results);
        Assert.Single(stale);
        Assert.Single(Directory.GetFiles(run.Results, "*.trx"));
    }
}
