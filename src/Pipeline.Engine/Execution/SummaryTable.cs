using System.Text;
using Pipeline.Engine.Output;

namespace Pipeline.Engine.Execution;

/// <summary>The table printed at the end of every run, and its Markdown twin for the step summary.</summary>
internal static class SummaryTable
{
    public static IEnumerable<string> Lines(ExecutionPlan plan, TimeSpan total, SecretMasker masker)
    {
        var rows = plan
            .Targets.Select(t => (t.Name, Status: Label(t), Duration: Format(t.Duration, t.Status), Reason: Reason(t)))
            .ToList();
        var nameWidth = Math.Max(6, rows.Select(r => r.Name.Length).DefaultIfEmpty(0).Max());
        var statusWidth = Math.Max(6, rows.Select(r => r.Status.Length).DefaultIfEmpty(0).Max());
        var rule = new string('─', nameWidth + statusWidth + 24);
        yield return rule;
        yield return $"{"Target".PadRight(nameWidth)}  "
            + $"{"Status".PadRight(statusWidth)}  {"Duration".PadLeft(8)}  Reason";
        yield return rule;
        foreach (var row in rows)
            yield return $"{row.Name.PadRight(nameWidth)}  {row.Status.PadRight(statusWidth)} "
                + $" {row.Duration.PadLeft(8)}  {OneLine(row.Reason, masker)}";
        yield return rule;
        yield return $"{"Total".PadRight(nameWidth)}  {"".PadRight(statusWidth)} "
            + $" {Format(total, TargetStatus.Succeeded).PadLeft(8)}";
    }

    public static string Markdown(ExecutionPlan plan, TimeSpan total, bool succeeded, SecretMasker masker)
    {
        var text = new StringBuilder();
        text.AppendLine($"### Build {(succeeded ? "succeeded" : "failed")} in {Format(total, TargetStatus.Succeeded)}");
        text.AppendLine();
        text.AppendLine("| Target | Status | Duration | Reason |");
        text.AppendLine("|---|---|---:|---|");
        foreach (var t in plan.Targets)
        {
            var icon = t.Cached is not null
                ? "♻️"
                : t.Status switch
                {
                    TargetStatus.Succeeded => "✅",
                    TargetStatus.Failed => "❌",
                    TargetStatus.Skipped => "⏭️",
                    _ => "⏸️",
                };
            text.AppendLine(
                $"| {t.Name} | {icon} {Label(t)} | {Format(t.Duration, t.Status)} "
                    + $"| {OneLine(Reason(t), masker).Replace("|", "\\|")} |"
            );
        }

        return text.ToString();
    }

    /// <summary>A target served from the cache succeeded, but says so: "cached".</summary>
    private static string Label(PlannedTarget target) =>
        target switch
        {
            { Cached: not null } => "cached",
            { Status: TargetStatus.Failed, Partial: { } partial } => $"failed ({partial.Tally})",
            _ => Label(target.Status),
        };

    private static string Reason(PlannedTarget target) =>
        target.Cached is { } cached ? cached.Replace("cached (", "").TrimEnd(')') : target.Reason ?? "";

    public static string Label(TargetStatus status) =>
        status switch
        {
            TargetStatus.Succeeded => "succeeded",
            TargetStatus.Failed => "failed",
            TargetStatus.Skipped => "skipped",
            TargetStatus.NotRun => "not run",
            _ => "pending",
        };

    private static string Format(TimeSpan duration, TargetStatus status) =>
        status is TargetStatus.Skipped or TargetStatus.NotRun ? ""
        : duration.TotalSeconds < 60 ? $"{duration.TotalSeconds:0.00}s"
        : $"{(int)duration.TotalMinutes}:{duration.Seconds:00}";

    /// <summary>Masked before it is cut: a cut through a secret would leave a fragment no masker recognises
    /// whole.</summary>
    private static string OneLine(string text, SecretMasker masker)
    {
        var line = masker.Mask(text.Split('\n')[0].Trim());
        return line.Length > 100 ? line[..100] + "…" : line;
    }
}
