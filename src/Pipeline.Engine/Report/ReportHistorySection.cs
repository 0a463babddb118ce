using System.Globalization;
using System.Net;
using System.Text;

namespace Pipeline.Engine.Report;

/// <summary>
/// The report's history section: the last runs on this machine (from the state folder), the whole run and each target
/// that ran in them, as a line per target (a slowdown is a line going up) with this run's figure against the median of
/// the earlier ones. Hand-drawn SVG polylines: a charting library would bring script, and the page carries none.
/// </summary>
internal static class ReportHistorySection
{
    private const int Width = 160,
        Height = 22;

    public static void Render(StringBuilder html, IReadOnlyList<ReportRun> runs)
    {
        var current = runs[^1];
        html.Append("<section id=\"history\"><h2>History</h2><p>")
            .Append(runs.Count.ToString(CultureInfo.InvariantCulture))
            .Append(" run(s) of this repository on this machine, oldest first (from the state folder); ")
            .Append(
                "each line is one target's duration per run, the figure on its "
                    + "right is this run against the median of the runs before.</p>\n"
            )
            .Append(
                "<table><thead><tr><th>Target</th><th>Durations</th><th class=\"num\">This run</th><th "
                    + "class=\"num\">Median before</th><th class=\"num\">Change</th></tr></thead><tbody>\n"
            );
        Row(html, "(whole run)", runs.Select(r => (double?)r.Seconds).ToList());
        var names = runs.SelectMany(r => r.Targets.Keys)
            .Distinct(StringComparer.Ordinal)
            .OrderBy(n => current.Targets.ContainsKey(n) ? 0 : 1)
            .ThenByDescending(n => current.Targets.GetValueOrDefault(n))
            .ThenBy(n => n, StringComparer.Ordinal);
        foreach (var name in names)
            Row(html, name, runs.Select(r => r.Targets.TryGetValue(name, out var s) ? s : (double?)null).ToList());
        html.Append("</tbody></table></section>\n");
    }

    private static void Row(StringBuilder html, string name, IReadOnlyList<double?> seconds)
    {
        var now = seconds[^1];
        var before = seconds.Take(seconds.Count - 1).OfType<double>().Order().ToList();
        double? median =
            before.Count == 0 ? null
            : before.Count % 2 == 1 ? before[before.Count / 2]
            : (before[before.Count / 2 - 1] + before[before.Count / 2]) / 2;
        var change = now is { } n && median is > 0 and { } m ? (n - m) / m : (double?)null;
        html.Append("<tr data-history-target=\"")
            .Append(WebUtility.HtmlEncode(name))
            .Append("\"><td>")
            .Append(WebUtility.HtmlEncode(name))
            .Append("</td><td>");
        Spark(html, seconds);
        html.Append("</td><td class=\"num\">")
            .Append(Format(now))
            .Append("</td><td class=\"num\">")
            .Append(Format(median))
            .Append("</td><td class=\"num")
            .Append(
                change switch
                {
                    > 0.2 => " up",
                    < -0.2 => " down",
                    _ => "",
                }
            )
            .Append("\">")
            .Append(change is { } c ? c.ToString("+0%;-0%;0%", CultureInfo.InvariantCulture) : "")
            .Append("</td></tr>\n");
    }

    /// <summary>One point per run (a gap where the target did not run), scaled to the row's own largest
    /// figure.</summary>
    private static void Spark(StringBuilder html, IReadOnlyList<double?> seconds)
    {
        var max = Math.Max(0.001, seconds.OfType<double>().DefaultIfEmpty(0).Max());
        double X(int i) => seconds.Count == 1 ? Width / 2.0 : 2 + (Width - 4) * i / (double)(seconds.Count - 1);
        double Y(double s) => Height - 2 - (Height - 4) * s / max;
        html.Append(
            CultureInfo.InvariantCulture,
            $"<svg class=\"spark\" xmlns=\"http://www.w3.org/2000/svg\" "
                + $"width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-label=\"durations\">"
        );
        var points = seconds
            .Select((s, i) => s is { } v ? FormattableString.Invariant($"{X(i):0.0},{Y(v):0.0}") : null)
            .ToList();
        foreach (var run in Runs(points))
            html.Append("<polyline points=\"").AppendJoin(' ', run).Append("\"/>");
        if (seconds[^1] is { } last)
            html.Append(
                CultureInfo.InvariantCulture,
                $"<circle cx=\"{X(seconds.Count - 1):0.0}\" cy=\"{Y(last):0.0}\" r=\"2\"/>"
            );
        html.Append("</svg>");
    }

    /// <summary>The points split where a run is missing, so a line never bridges a run the target was not in.</summary>
    private static IEnumerable<List<string>> Runs(List<string?> points)
    {
        var run = new List<string>();
        foreach (var point in points)
        {
            if (point is not null)
            {
                run.Add(point);
                continue;
            }

            if (run.Count > 0)
                yield return run;
            run = [];
        }

        if (run.Count > 0)
            yield return run;
    }

    private static string Format(double? seconds) =>
        seconds is { } s ? s.ToString("0.00", CultureInfo.InvariantCulture) + " s" : "";
}
