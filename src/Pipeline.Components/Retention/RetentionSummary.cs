using System.Text;
using Pipeline.Retention;

namespace Pipeline.Components.Retention;

/// <summary>Per-registry totals for the log and the run's summary: versions seen, deleted (or to delete), kept,
/// space.</summary>
internal static class RetentionSummary
{
    public static IEnumerable<string> Lines(IReadOnlyList<RetentionReport> reports, bool applied) =>
        reports.Select(r =>
            applied
                ? $"{r.Target}: deleted {r.Deleted.Count} of {r.Plan.Deletions.Count + r.Plan.Kept.Count} versions, "
                    + $"freed {Size(r.BytesFreed)}{Unfinished(r)}"
                : $"{r.Target}: would delete {r.Plan.Deletions.Count} of "
                    + $"{r.Plan.Deletions.Count + r.Plan.Kept.Count} versions, "
                    + $"{Size(r.Plan.BytesToFree)}; pass --retention-apply to delete"
        );

    public static string Markdown(IReadOnlyList<RetentionReport> reports, bool applied)
    {
        var text = new StringBuilder();
        text.AppendLine(applied ? "### Retention" : "### Retention (dry run)");
        text.AppendLine();
        text.AppendLine($"| Registry | Versions | {(applied ? "Deleted" : "Would delete")} | Kept | Space |");
        text.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var r in reports)
        {
            var gone = applied ? r.Deleted.Count : r.Plan.Deletions.Count;
            text.AppendLine(
                $"| {r.Target} | {r.Plan.Deletions.Count + r.Plan.Kept.Count} | {gone} | "
                    + $"{r.Plan.Kept.Count} | {Size(applied ? r.BytesFreed : r.Plan.BytesToFree)} |"
            );
        }

        return text.ToString();
    }

    private static string Unfinished(RetentionReport r) =>
        r.Succeeded ? "" : $", {r.Failed.Count} failed, {r.Skipped.Count} skipped";

    private static string Size(long bytes) =>
        bytes switch
        {
            >= 1L << 30 => $"{bytes / (double)(1L << 30):0.0} GiB",
            >= 1L << 20 => $"{bytes / (double)(1L << 20):0.0} MiB",
            >= 1L << 10 => $"{bytes / (double)(1L << 10):0.0} KiB",
            _ => $"{bytes} B",
        };
}
