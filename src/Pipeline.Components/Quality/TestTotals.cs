using Pipeline.Engine.Paths;
using Pipeline.Engine.Report;

namespace Pipeline.Components.Quality;

/// <summary>What Test ran, as <see cref="ITest.TestTotals"/>: counts over every test project, and where the TRX/JUnit
/// files are.</summary>
public sealed record TestTotals(
    int Passed,
    int Failed,
    int Skipped,
    IReadOnlyList<string> Projects,
    AbsolutePath ResultsDirectory
) : IReportSection
{
    /// <summary>The report's tests section, from the TRX files this result names (see <see
    /// cref="TestReportSection"/>).</summary>
    public ReportSection ToReportSection(ReportInput input) => TestReportSection.Of(this, input);
}
