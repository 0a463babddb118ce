using System.Globalization;
using Pipeline.Engine.Report;
using Pipeline.Quality.Testing;

namespace Pipeline.Components.Quality;

/// <summary>
/// The run report's tests section, from the TRX files Test left in its results folder (the same files its own lines
/// come from, never console text): totals per project, failures with message and file:line, the slowest tests, and the
/// change against the previous run on this machine (counts, and which tests started or stopped failing).
/// </summary>
internal static class TestReportSection
{
    public const int Slowest = 20;
    private const string FailPrefix = "fail:";

    public static ReportSection Of(TestTotals totals, ReportInput input)
    {
        var folder = totals.ResultsDirectory;
        var projects = Directory.Exists(folder)
            ? Directory
                .GetFiles(folder, "*.trx")
                .Order(StringComparer.Ordinal)
                .Select(f => TrxReader.Read(f, input.RootDirectory))
                .Where(p => totals.Projects.Count == 0 || totals.Projects.Contains(p.Name))
                .ToList()
            : [];
        var figures = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["passed"] = totals.Passed,
            ["failed"] = totals.Failed,
            ["skipped"] = totals.Skipped,
        };
        var failures = projects.SelectMany(p => p.Failures.Select(t => (Project: p.Name, Test: t))).ToList();
        foreach (var (_, test) in failures)
            figures[FailPrefix + FullName(test)] = 1;

        var perProject = new ReportTable(
            "Per project",
            ["Project", "Passed", "Failed", "Skipped", "Duration"],
            [
                .. projects.Select(p => new ReportRow(
                    [p.Name, N(p.Passed), N(p.Failed), N(p.Skipped), Seconds(p.Duration)],
                    p.Failed > 0 || p.RunErrors.Count > 0
                )),
            ]
        );
        var failed = new ReportTable(
            "Failures",
            ["Test", "Project", "Message", "Where"],
            [
                .. failures.Select(f => new ReportRow(
                    [
                        FullName(f.Test),
                        f.Project,
                        FirstLines(f.Test.Message),
                        f.Test.Location is { } at ? $"{at.File}:{at.Line}" : "",
                    ],
                    Bad: true
                )),
            ]
        );
        var slowest = new ReportTable(
            $"The {Slowest} slowest",
            ["Test", "Project", "Duration"],
            [
                .. projects
                    .SelectMany(p => p.Tests.Select(t => (Project: p.Name, Test: t)))
                    .OrderByDescending(x => x.Test.Duration)
                    .ThenBy(x => FullName(x.Test), StringComparer.Ordinal)
                    .Take(Slowest)
                    .Select(x => new ReportRow([FullName(x.Test), x.Project, Seconds(x.Test.Duration)])),
            ]
        );
        return new ReportSection("tests", "Tests")
        {
            Lead =
                $"{totals.Passed} passed, {totals.Failed} failed, {totals.Skipped} "
                + $"skipped in {projects.Count} project(s). {Change(totals, input.Previous)}",
            Tables = [perProject, failed, slowest, Against(figures, input.Previous)],
            Figures = figures,
        };
    }

    /// <summary>The counts against the previous run's, in one sentence.</summary>
    private static string Change(TestTotals totals, IReadOnlyDictionary<string, double> previous)
    {
        if (!previous.TryGetValue("passed", out var passed))
            return "No earlier run on this machine to compare with.";
        string Delta(double now, string key) =>
            (now - previous.GetValueOrDefault(key)).ToString("+0;-0;±0", CultureInfo.InvariantCulture);
        return $"Against the previous run: {Delta(totals.Passed, "passed")} passed, "
            + $"{Delta(totals.Failed, "failed")} failed, {Delta(totals.Skipped, "skipped")} skipped.";
    }

    /// <summary>Tests that fail now and did not before, and tests that failed before and do not now.</summary>
    private static ReportTable Against(Dictionary<string, double> now, IReadOnlyDictionary<string, double> previous)
    {
        var failingNow = now.Keys.Where(k => k.StartsWith(FailPrefix, StringComparison.Ordinal)).ToHashSet();
        var failingBefore = previous.Keys.Where(k => k.StartsWith(FailPrefix, StringComparison.Ordinal)).ToHashSet();
        var rows = failingNow
            .Except(failingBefore)
            .Order(StringComparer.Ordinal)
            .Select(k => new ReportRow(
                [k[FailPrefix.Length..], previous.Count == 0 ? "failing (no earlier run)" : "newly failing"],
                Bad: true
            ))
            .Concat(
                failingBefore
                    .Except(failingNow)
                    .Order(StringComparer.Ordinal)
                    .Select(k => new ReportRow([k[FailPrefix.Length..], "fixed (failed in the previous run)"]))
            );
        return new ReportTable("Against the previous run", ["Test", "Change"], [.. rows]);
    }

    private static string FullName(TestCaseResult test) =>
        test.ClassName.Length == 0 ? test.Name : $"{test.ClassName}.{test.Name}";

    /// <summary>An assertion message's first lines: enough to recognise it, short enough for a table.</summary>
    private static string FirstLines(string? message)
    {
        if (message is null)
            return "";
        var text = string.Join(
            " ",
            message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Take(4)
        );
        return text.Length > 400 ? text[..400] + "…" : text;
    }

    private static string N(int count) => count.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";
}
