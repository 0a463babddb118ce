using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Hosts;
using Pipeline.Engine.Output;
using Pipeline.Engine.Paths;
using Pipeline.Engine.Results;

namespace Pipeline.Engine.Report;

/// <summary>
/// <c>artifacts/report/index.html</c>: one self-contained page (inline CSS and SVG, no script, nothing fetched) built
/// from what the engine recorded — the plan's targets with their start, duration, status, cache outcome and reason, the
/// typed results this run set (images pushed, release, deploy), the parameters with their sources, the host and tool
/// versions. Never from console text. Every value is masked before it is HTML-encoded (an encoded secret would no
/// longer match), and the whole page once more, like every other output; secret parameters are shown as <c>***</c>.
/// Hand-written HTML: no served templating library (Scriban is not served), and the page is small enough that a string
/// builder with <see cref="WebUtility.HtmlEncode(string)"/> on every value is clearer than one.
/// </summary>
internal static class HtmlReport
{
    public const string RelativePath = "artifacts/report/index.html";

    /// <summary>How many runs the history section shows (this one included).</summary>
    public const int HistoryRuns = 20;

    public static AbsolutePath Write(
        ExecutionPlan plan,
        BuildContext context,
        DateTimeOffset runStart,
        TimeSpan total,
        bool succeeded
    )
    {
        var history = new ReportHistory(StateFolder.For(context.Host, context.RootDirectory) / "report-history.jsonl");
        var (html, run) = Render(plan, context, runStart, total, succeeded, history.Last(HistoryRuns - 1));
        var path = (context.RootDirectory / "artifacts" / "report").CreateDirectory() / "index.html";
        File.WriteAllText(path, context.Masker.Mask(html));
        history.Append(run);
        return path;
    }

    internal static (string Html, ReportRun Run) Render(
        ExecutionPlan plan,
        BuildContext context,
        DateTimeOffset runStart,
        TimeSpan total,
        bool succeeded,
        IReadOnlyList<ReportRun> earlier
    )
    {
        var bars = RunTimeline.Of(plan, runStart);
        var previous = earlier.Count > 0 ? earlier[^1].Figures : [];
        var (sections, figures) = TypedSections(plan, context, previous);
        var run = new ReportRun(
            runStart,
            Math.Round(total.TotalSeconds, 3),
            succeeded,
            plan.Targets.Where(t => t.StartedAt is not null)
                .ToDictionary(t => t.Name, t => Math.Round(t.Duration.TotalSeconds, 3)),
            figures
        );
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append(
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
                    + "'none'; style-src 'unsafe-inline'; img-src data:\">"
            )
            .Append("<title>Build ")
            .Append(succeeded ? "succeeded" : "failed")
            .Append("</title><style>")
            .Append(Style)
            .Append("</style></head><body>\n");
        html.Append("<header><h1 class=\"")
            .Append(succeeded ? "ok" : "bad")
            .Append("\">Build ")
            .Append(succeeded ? "succeeded" : "failed")
            .Append(" in ")
            .Append(Seconds(total))
            .Append("</h1><p>")
            .Append(E(string.Join(", ", plan.Targets.Where(t => t.Invoked).Select(t => t.Name))))
            .Append(" · ")
            .Append(E(runStart.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)))
            .Append(" · ")
            .Append(E(HostName(context.Host)))
            .Append("</p><nav>")
            .AppendJoin(
                " · ",
                new[] { ("timeline", "Timeline"), ("targets", "Targets") }
                    .Concat(sections.Select(x => (x.Id, x.Title)))
                    .Concat([
                        ("history", "History"),
                        ("results", "Results"),
                        ("parameters", "Parameters"),
                        ("host", "Host"),
                    ])
                    .Select(link => $"<a href=\"#{E(link.Item1)}\">{E(link.Item2)}</a>")
            )
            .Append("</nav></header>\n");
        Timeline(html, bars, total);
        Targets(html, plan, bars, context.Masker);
        foreach (var section in sections)
            Section(html, section, context.Masker);
        ReportHistorySection.Render(html, [.. earlier, run]);
        Results(html, plan, context);
        Parameters(html, context);
        Tools(html, context);
        html.Append("</body></html>\n");
        return (html.ToString(), run);
    }

    /// <summary>
    /// The sections typed results give of themselves (<see cref="IReportSection"/>), in plan order; a list result gives
    /// one per item, joined by id. A section that cannot be built (an unreadable file it reads) says so in place of its
    /// tables: the report never fails a run.
    /// </summary>
    private static (List<ReportSection> Sections, Dictionary<string, Dictionary<string, double>> Figures) TypedSections(
        ExecutionPlan plan,
        BuildContext context,
        IReadOnlyDictionary<string, Dictionary<string, double>> previous
    )
    {
        var sections = new List<ReportSection>();
        var figures = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
        foreach (var result in plan.Targets.SelectMany(t => t.Target.Results))
        {
            var value = context.Results.Get(result.Key);
            IReportSection[] parts = value switch
            {
                IReportSection one => [one],
                IEnumerable<IReportSection> many => [.. many],
                _ => [],
            };
            if (parts.Length == 0)
                continue;
            var input = new ReportInput(context.RootDirectory, previous.GetValueOrDefault(result.ToString()) ?? []);
            foreach (var part in parts)
            {
                ReportSection section;
                try
                {
                    section = part.ToReportSection(input);
                }
#pragma warning disable CA1031 // whatever a section's own code throws, the run's outcome stands and the report says so
                catch (Exception e)
#pragma warning restore CA1031
                {
                    section = new ReportSection("section-" + result.Name, result.ToString())
                    {
                        Lead = $"This section could not be built: {e.Message}",
                    };
                }

                var kept = figures.TryGetValue(result.ToString(), out var f)
                    ? f
                    : figures[result.ToString()] = new Dictionary<string, double>(StringComparer.Ordinal);
                foreach (var (key, number) in section.Figures)
                    kept[key] = number;
                var same = sections.FindIndex(x => x.Id == section.Id);
                if (same < 0)
                    sections.Add(section);
                else
                    sections[same] = Join(sections[same], section);
            }
        }

        return (sections, figures);
    }

    /// <summary>
    /// Two items' sections as one: tables of the same caption get the other's rows (a row with the key of an earlier
    /// one takes its place: the primary service's result and the list's row for it are one row), the rest is added
    /// after.
    /// </summary>
    private static ReportSection Join(ReportSection first, ReportSection second)
    {
        var tables = first.Tables.ToList();
        foreach (var table in second.Tables)
        {
            var same = tables.FindIndex(t => t.Caption == table.Caption && t.Columns.SequenceEqual(table.Columns));
            if (same < 0)
            {
                tables.Add(table);
                continue;
            }

            var rows = tables[same].Rows.ToList();
            foreach (var row in table.Rows)
            {
                var earlier = row.Key is null ? -1 : rows.FindIndex(r => r.Key == row.Key);
                if (earlier < 0)
                    rows.Add(row);
                else
                    rows[earlier] = row;
            }

            tables[same] = tables[same] with { Rows = rows };
        }

        return first with
        {
            Lead = first.Lead == second.Lead || second.Lead is null ? first.Lead : first.Lead + " " + second.Lead,
            Tables = tables,
        };
    }

    private static void Section(StringBuilder html, ReportSection section, SecretMasker masker)
    {
        html.Append("<section id=\"")
            .Append(E(section.Id))
            .Append("\"><h2>")
            .Append(E(masker.Mask(section.Title)))
            .Append("</h2>\n");
        if (section.Lead is { } lead)
            html.Append("<p>").Append(E(masker.Mask(lead))).Append("</p>\n");
        foreach (var table in section.Tables)
        {
            html.Append("<table><caption>").Append(E(masker.Mask(table.Caption))).Append("</caption><thead><tr>");
            foreach (var column in table.Columns)
                html.Append("<th>").Append(E(masker.Mask(column))).Append("</th>");
            html.Append("</tr></thead><tbody>\n");
            foreach (var row in table.Rows)
            {
                html.Append(row.Bad ? "<tr class=\"failed\">" : "<tr>");
                foreach (var cell in row.Cells)
                    Cell(html, masker.Mask(cell));
                html.Append("</tr>\n");
            }

            if (table.Rows.Count == 0)
                html.Append("<tr><td class=\"none\" colspan=\"")
                    .Append(table.Columns.Count.ToString(CultureInfo.InvariantCulture))
                    .Append("\">none</td></tr>\n");
            html.Append("</tbody></table>\n");
        }

        html.Append("</section>\n");
    }

    /// <summary>A cell; one that is a web address alone (a release's page, where a deploy answers) is a link. Links are
    /// followed only when clicked: the page still fetches nothing.</summary>
    private static void Cell(StringBuilder html, string text)
    {
        if (
            Uri.TryCreate(text, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && !text.Any(char.IsWhiteSpace)
        )
            html.Append("<td><a href=\"")
                .Append(E(text))
                .Append("\" rel=\"noreferrer\">")
                .Append(E(text))
                .Append("</a></td>");
        else
            html.Append("<td>").Append(E(text)).Append("</td>");
    }

    private static void Timeline(StringBuilder html, IReadOnlyList<TimelineBar> bars, TimeSpan total)
    {
        const int width = 960,
            laneHeight = 26,
            left = 10,
            right = 150; // room after the last bar for its name
        var lanes = bars.Count == 0 ? 1 : bars.Max(b => b.Lane) + 1;
        var span = Math.Max(
            total.TotalMilliseconds,
            bars.Select(b => (b.Start + b.Duration).TotalMilliseconds).DefaultIfEmpty(1).Max()
        );
        double X(TimeSpan t) => left + (width - left - right) * t.TotalMilliseconds / Math.Max(1, span);
        html.Append(
                "<section id=\"timeline\"><h2>Timeline</h2><p>Each target "
                    + "on its lane (side by side when they ran in parallel); "
            )
            .Append("<span class=\"crit-key\">outlined</span>: the critical path, ")
            .Append(E(string.Join(" → ", bars.Where(b => b.Critical).OrderBy(b => b.Start).Select(b => b.Name))))
            .Append('.')
            .Append(
                bars.Any(b => b.QueuedFrom is not null)
                    ? " A thin grey strip before a bar: the target was ready, "
                        + "but queued for a shared resource another target held."
                    : ""
            )
            .Append("</p>\n");
        html.Append(
            CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" "
                + $"height=\"{lanes * laneHeight + 24}\" role=\"img\" aria-label=\"timeline\">"
        );
        foreach (var bar in bars)
        {
            var x = X(bar.Start);
            var w = Math.Max(2, X(bar.Start + bar.Duration) - x);
            var y = bar.Lane * laneHeight + 4;
            if (bar.QueuedFrom is { } queued && bar.Start > queued)
            {
                // The wait for a shared resource: a thin grey strip from when it was ready to when it started.
                var qx = X(queued);
                html.Append(
                        CultureInfo.InvariantCulture,
                        $"<g class=\"queued\" data-queued-for=\"{E(bar.Name)}\" "
                            + $"data-queued-ms=\"{(bar.Start - queued).TotalMilliseconds:0}\"><title>"
                            + $"{E(bar.Name)} queued {Seconds(bar.Start - queued)}: "
                            + $"{E(bar.QueuedFor ?? "")}</title>"
                    )
                    .Append(
                        CultureInfo.InvariantCulture,
                        $"<rect x=\"{qx:0.0}\" y=\"{y + laneHeight - 7}\" "
                            + $"width=\"{Math.Max(1, x - qx):0.0}\" height=\"3\"/></g>"
                    );
            }

            html.Append(
                    CultureInfo.InvariantCulture,
                    $"<g class=\"bar {bar.Status}{(bar.Critical ? " critical" : "")}\" "
                        + $"data-target=\"{E(bar.Name)}\" data-start-ms=\"{bar.Start.TotalMilliseconds:0}\" "
                        + $"data-duration-ms=\"{bar.Duration.TotalMilliseconds:0}\" "
                        + $"data-critical=\"{(bar.Critical ? "true" : "false")}\">"
                )
                .Append(
                    CultureInfo.InvariantCulture,
                    $"<title>{E(bar.Name)}: {bar.Status}, "
                        + $"{Seconds(bar.Duration)}{(bar.Cache is { } c ? " — " + E(c) : "")}</title>"
                )
                .Append(
                    CultureInfo.InvariantCulture,
                    $"<rect x=\"{x:0.0}\" y=\"{y}\" width=\"{w:0.0}\" height=\"{laneHeight - 8}\" rx=\"3\"/>"
                )
                .Append(
                    CultureInfo.InvariantCulture,
                    $"<text x=\"{x + w + 4:0.0}\" y=\"{y + 13}\">{E(bar.Name)}</text></g>"
                ); // after its bar: a lane holds several targets one after another
        }

        html.Append(
            CultureInfo.InvariantCulture,
            $"<text class=\"axis\" x=\"{left}\" y=\"{lanes * laneHeight + 18}\">0 s (the run's "
                + $"start)</text><text class=\"axis\" x=\"{width - right}\" y=\"{lanes * laneHeight + 18}\" "
                + $"text-anchor=\"end\">{Seconds(TimeSpan.FromMilliseconds(span))}</text>"
        );
        html.Append("</svg></section>\n");
    }

    private static void Targets(
        StringBuilder html,
        ExecutionPlan plan,
        IReadOnlyList<TimelineBar> bars,
        SecretMasker masker
    )
    {
        html.Append(
            "<section id=\"targets\"><h2>Targets</h2><table><thead><tr><th>Targ"
                + "et</th><th>Status</th><th class=\"num\">Start</th><th "
                + "class=\"num\">Duration</th><th>Cache</th><th>Reason</th></tr></thead><tbody>\n"
        );
        foreach (var t in plan.Targets)
        {
            var bar = bars.FirstOrDefault(b => b.Name == t.Name);
            var status = bar?.Status ?? (t.Status == TargetStatus.Skipped ? "skipped" : "not run");
            html.Append("<tr class=\"")
                .Append(status.Replace(' ', '-'))
                .Append("\"><td>")
                .Append(E(t.Name))
                .Append(bar is { Critical: true } ? " <span class=\"crit\">critical</span>" : "")
                .Append("</td><td>")
                .Append(E(status))
                .Append("</td><td class=\"num\">")
                .Append(bar is null ? "" : Seconds(bar.Start))
                .Append("</td><td class=\"num\">")
                .Append(bar is null ? "" : Seconds(t.Duration))
                .Append("</td><td>")
                .Append(E(masker.Mask(CacheOutcome(t, bar))))
                .Append("</td><td>")
                .Append(E(masker.Mask(Joined(t.Reason, Queued(bar)))))
                .Append("</td></tr>\n");
        }

        html.Append("</tbody></table></section>\n");
    }

    /// <summary>Every typed result this run set or restored: images pushed (reference, digest, registry, failover),
    /// release, deploy.</summary>
    private static void Results(StringBuilder html, ExecutionPlan plan, BuildContext context)
    {
        var options = new JsonSerializerOptions(ResultJson.Options(context.RootDirectory)) { WriteIndented = true };
        html.Append(
            "<section id=\"results\"><h2>Results</h2><p>Every typed result targets set in this "
                + "run, as JSON (what later jobs read from <code>artifacts/results/</code>).</p>\n"
        );
        var any = false;
        foreach (var result in plan.Targets.SelectMany(t => t.Target.Results))
        {
            if (context.Results.Get(result.Key) is not { } value)
                continue;
            any = true;
            html.Append("<details open><summary>")
                .Append(E(result.ToString()))
                .Append("</summary><pre>")
                .Append(E(context.Masker.Mask(JsonSerializer.Serialize(value, result.Type, options))))
                .Append("</pre></details>\n");
        }

        if (!any)
            html.Append("<p class=\"none\">No target set a result in this run.</p>\n");
        html.Append("</section>\n");
    }

    private static void Parameters(StringBuilder html, BuildContext context)
    {
        html.Append(
            "<section id=\"parameters\"><h2>Parameters</h2><table><thead><tr><t"
                + "h>Parameter</th><th>Value</th><th>Source</th></tr></thead><tbody>\n"
        );
        foreach (
            var p in context
                .Parameters.All.Where(p => p.Source != "default" || p.Value is not null)
                .OrderBy(p => p.Member, StringComparer.Ordinal)
        )
        {
            var value = p.IsSecret
                ? "***"
                : p.Value switch
                {
                    null => "",
                    string s => s,
                    System.Collections.IEnumerable list => string.Join(", ", list.Cast<object?>()),
                    var other => Convert.ToString(other, CultureInfo.InvariantCulture) ?? "",
                };
            html.Append("<tr><td>")
                .Append(E(p.Member))
                .Append("</td><td>")
                .Append(E(context.Masker.Mask(value)))
                .Append("</td><td>")
                .Append(E(p.Source))
                .Append("</td></tr>\n");
        }

        html.Append("</tbody></table></section>\n");
    }

    /// <summary>Where the run ran and with what: the engine, .NET, the OS, the processors, and every tool the run
    /// started with its version.</summary>
    private static void Tools(StringBuilder html, BuildContext context)
    {
        var engine = (
            typeof(HtmlReport)
                .Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()
                ?.InformationalVersion
            ?? "unknown"
        ).Split('+')[0];
        html.Append("<section id=\"host\"><h2>Host and tools</h2><ul><li>")
            .Append(E(HostName(context.Host)))
            .Append("</li><li>Pipeline ")
            .Append(E(engine))
            .Append("</li><li>.NET ")
            .Append(E(Environment.Version.ToString()))
            .Append("</li><li>")
            .Append(E(System.Runtime.InteropServices.RuntimeInformation.OSDescription))
            .Append(" (")
            .Append(E(System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()))
            .Append(")</li><li>")
            .Append(E(Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)))
            .Append(" processors</li></ul>\n");
        var tools = RunTools.Of(context);
        html.Append(
            "<table><caption>Tools this run "
                + "started</caption><thead><tr><th>Tool</th><th>V"
                + "ersion</th><th>Path</th></tr></thead><tbody>\n"
        );
        foreach (var tool in tools)
        {
            html.Append("<tr data-tool=\"")
                .Append(E(tool.Name))
                .Append("\"><td>")
                .Append(E(tool.Name))
                .Append("</td><td>")
                .Append(E(context.Masker.Mask(tool.Version)))
                .Append("</td><td>")
                .Append(E(context.Masker.Mask(tool.Path)))
                .Append("</td></tr>\n");
        }

        if (tools.Count == 0)
            html.Append("<tr><td class=\"none\" colspan=\"3\">none: no target started an external tool</td></tr>\n");
        html.Append("</tbody></table></section>\n");
    }

    private static string? Queued(TimelineBar? bar) =>
        bar is { QueuedFrom: { } from } && bar.Start > from
            ? $"queued {Seconds(bar.Start - from)} for {bar.QueuedFor}"
            : null;

    private static string Joined(string? first, string? second) =>
        string.Join("; ", new[] { first, second }.Where(s => !string.IsNullOrEmpty(s)));

    /// <summary>hit (and from which store), miss with why, or nothing for a target without declared inputs.</summary>
    private static string CacheOutcome(PlannedTarget t, TimelineBar? bar) =>
        t switch
        {
            { Cached: { } cached } => "hit: " + cached,
            { CacheMiss: { } why } when bar is not null => "miss: " + why,
            { Target.Definition.CachesParts: true } when bar is not null => "cached per part (see its lines)",
            { ResultKey: not null } when bar is not null => "miss (ran)",
            _ => "",
        };

    private static string HostName(IBuildHost host) =>
        host.Kind switch
        {
            HostKind.GitHubActions => host.IsSelfHosted ? "GitHub Actions (self-hosted)" : "GitHub Actions",
            var kind => kind.ToString(),
        };

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private const string Style = """
        body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1f2328;max-width:1000px}
        h1.ok{color:#1a7f37}h1.bad{color:#cf222e}h2{border-bottom:1px solid #d0d7de;padding-bottom:4px;margin-top:28px}
        table{border-collapse:collapse;width:100%}
        td,th{border-bottom:1px solid #eaeef2;padding:4px 8px;text-align:left;vertical-align:top}
        .num{text-align:right;font-variant-numeric:tabular-nums}
        pre{background:#f6f8fa;padding:8px;overflow:auto;font-size:12px}
        svg text{font-size:12px;fill:#1f2328}svg .axis{fill:#656d76}
        .bar rect{fill:#54aeff}.bar.succeeded rect{fill:#4ac26b}.bar.failed rect{fill:#ff8182}
        .bar.cached rect{fill:#a0a0ff}
        .bar.critical rect{stroke:#1f2328;stroke-width:2}.queued rect{fill:#8c959f}
        .crit,.crit-key{border:2px solid #1f2328;padding:0 4px;border-radius:3px;font-size:11px}
        tr.failed td{background:#ffebe9}caption{text-align:left;font-weight:600;padding:8px 0 4px}nav a{margin:0 2px}
        section{overflow-x:auto}
        .spark polyline{fill:none;stroke:#0969da;stroke-width:1.5}.spark circle{fill:#0969da}.up{color:#cf222e}
        .down{color:#1a7f37}tr.skipped td,tr.not-run td{color:#656d76}.none{color:#656d76}
        """;
}
