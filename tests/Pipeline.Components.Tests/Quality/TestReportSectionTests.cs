using Pipeline.Components.Quality;
using Pipeline.Engine.Paths;
using Pipeline.Engine.Report;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Quality;

/// <summary>The report's tests section against the previous run's figures: which tests started failing, which were
/// fixed, and the counts' change.</summary>
public sealed class TestReportSectionTests : IDisposable
{
    private readonly TempFolder _root = new("test-section-");

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Tests_that_start_or_stop_failing_are_named_and_the_counts_change_is_one_sentence()
    {
        var results = Directory.CreateDirectory(Path.Combine(_root.Path, "artifacts", "test-results")).FullName;
        // The TRX shape VSTest writes (see TrxReaderTests): two results, one failed.
        File.WriteAllText(
            Path.Combine(results, "Shop.Tests.trx"),
            """
            <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
              <Times start="2026-01-01T00:00:00.000Z" finish="2026-01-01T00:00:02.000Z" />
              <Results>
                <UnitTestResult testId="a" testName="Shop.Tests.CartTests.Adds" outcome="Passed"
                                duration="00:00:01.5000000" />
                <UnitTestResult testId="b" testName="Shop.Tests.CartTests.Removes" outcome="Failed"
                                duration="00:00:00.2500000">
                  <Output><ErrorInfo><Message>Assert.Equal() Failure
            Expected: 1
            Actual:   2</Message></ErrorInfo></Output>
                </UnitTestResult>
              </Results>
              <TestDefinitions>
                <UnitTest id="a">
                  <TestMethod codeBase="/r/Shop.Tests.dll" className="Shop.Tests.CartTests" name="Adds" />
                </UnitTest>
                <UnitTest id="b">
                  <TestMethod codeBase="/r/Shop.Tests.dll" className="Shop.Tests.CartTests" name="Removes" />
                </UnitTest>
              </TestDefinitions>
            </TestRun>
            """
        );
        var totals = new TestTotals(1, 1, 0, ["Shop.Tests"], new AbsolutePath(results));
        var previous = new Dictionary<string, double>
        {
            ["passed"] = 2,
            ["failed"] = 1,
            ["skipped"] = 0,
            ["fail:Shop.Tests.CartTests.Pays"] = 1,
        };

        var section = totals.ToReportSection(new ReportInput(new AbsolutePath(_root.Path), previous));

        Assert.Equal(
            "1 passed, 1 failed, 0 skipped in 1 project(s). Against "
                + "the previous run: -1 passed, ±0 failed, ±0 skipped.",
            section.Lead
        );
        var failure = Assert.Single(section.Tables.Single(t => t.Caption == "Failures").Rows);
        Assert.Equal(
            ["Shop.Tests.CartTests.Removes", "Shop.Tests", "Assert.Equal() Failure Expected: 1 Actual:   2", ""],
            failure.Cells
        );
        Assert.Equal(
            ["Shop.Tests.CartTests.Adds", "Shop.Tests.CartTests.Removes"],
            section.Tables.Single(t => t.Caption == "The 20 slowest").Rows.Select(r => r.Cells[0])
        );
        Assert.Equal(
            [
                ["Shop.Tests.CartTests.Removes", "newly failing"],
                ["Shop.Tests.CartTests.Pays", "fixed (failed in the previous run)"],
            ],
            section.Tables.Single(t => t.Caption == "Against the previous run").Rows.Select(r => r.Cells.ToArray())
        );
        Assert.Equal(1, section.Figures["fail:Shop.Tests.CartTests.Removes"]);
    }
}
