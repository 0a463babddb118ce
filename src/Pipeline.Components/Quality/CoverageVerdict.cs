using Pipeline.Engine.Paths;
using Pipeline.Engine.Report;

namespace Pipeline.Components.Quality;

/// <summary>
/// What Coverage measured and decided, as <see cref="ICoverage.CoverageVerdict"/>: the overall line coverage, whether
/// the gates passed (and their problems when not), and the report files.
/// </summary>
public sealed record CoverageVerdict(
    double LinePercent,
    bool GatesPassed,
    IReadOnlyList<string> Problems,
    AbsolutePath Cobertura,
    AbsolutePath HtmlIndex
) : IReportSection
{
    /// <summary>Each gate with its figure: the overall bar first, then every critical path (100% required).</summary>
    public IReadOnlyList<CoverageGateFigure> Gates { get; init; } = [];

    /// <summary>The report's coverage section: each gate against its bar, with the change since the previous
    /// run.</summary>
    public ReportSection ToReportSection(ReportInput input) => CoverageReportSection.Of(this, input);
}

/// <summary>One coverage gate as measured: what it covers (<c>overall</c> or a critical path), the figure, the bar,
/// whether it held.</summary>
public sealed record CoverageGateFigure(
    string Name,
    double Percent,
    double Required,
    int CoveredLines,
    int CoverableLines,
    bool Passed
);
