using System.Globalization;
using Pipeline.Engine.Report;
using Pipeline.Quality.Coverage;

namespace Pipeline.Components.Quality;

/// <summary>The run report's coverage section: overall and each critical path against its gate, and the change since
/// the previous run on this machine.</summary>
internal static class CoverageReportSection
{
    public static ReportSection Of(CoverageVerdict verdict, ReportInput input)
    {
        var gates =
            verdict.Gates.Count > 0
                ? verdict.Gates
                : [new CoverageGateFigure("overall", verdict.LinePercent, 0, 0, 0, verdict.GatesPassed)];
        var figures = gates.ToDictionary(g => g.Name, g => Math.Round(g.Percent, 2), StringComparer.Ordinal);
        var rows = gates.Select(g => new ReportRow(
            [
                g.Name,
                CoveragePercent.Format(g.Percent),
                g.CoverableLines > 0 ? $"{g.CoveredLines}/{g.CoverableLines}" : "",
                g.Required > 0 ? CoveragePercent.Format(g.Required) : "",
                g.Passed ? "passed" : "failed",
                Delta(g, input.Previous),
            ],
            Bad: !g.Passed
        ));
        return new ReportSection("coverage", "Coverage")
        {
            Lead =
                $"{CoveragePercent.Format(verdict.LinePercent)} of lines overall; "
                + $"gates {(verdict.GatesPassed ? "passed" : "failed")}. Full "
                + $"report: {verdict.HtmlIndex.RelativeTo(input.RootDirectory)}.",
            Tables =
            [
                new ReportTable(
                    "Gates",
                    ["Gate", "Covered", "Lines", "Required", "Verdict", "Since the previous run"],
                    [.. rows]
                ),
                new ReportTable(
                    "Problems",
                    ["Problem"],
                    [.. verdict.Problems.Select(p => new ReportRow([p], Bad: true))]
                ),
            ],
            Figures = figures,
        };
    }

    private static string Delta(CoverageGateFigure gate, IReadOnlyDictionary<string, double> previous) =>
        previous.TryGetValue(gate.Name, out var before)
            ? (Math.Round(gate.Percent, 2) - before).ToString(
                "+0.0' pts';-0.0' pts';±0.0' pts'",
                CultureInfo.InvariantCulture
            )
            : "no earlier figure";
}
