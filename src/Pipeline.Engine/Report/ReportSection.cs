using Pipeline.Engine.Paths;

namespace Pipeline.Engine.Report;

/// <summary>
/// A typed result that shows itself in the run report (<c>artifacts/report/index.html</c>) as a section of its own:
/// tests, coverage, images, release, deploy. The engine masks and HTML-encodes every string it returns; a result kept
/// as a list (one item per service) gives one section per item, joined by <see cref="ReportSection.Id"/> (tables of the
/// same caption get one another's rows).
/// </summary>
public interface IReportSection
{
    /// <summary>The section, from what the result recorded and <paramref name="input"/> (the previous run's
    /// figures).</summary>
    ReportSection ToReportSection(ReportInput input);
}

/// <summary>
/// What a section may read besides its result: the repository's root (result paths are relative to it) and the figures
/// the same section kept in the previous run on this machine (from the state folder; empty on a first run), for deltas.
/// </summary>
public sealed record ReportInput(AbsolutePath RootDirectory, IReadOnlyDictionary<string, double> Previous);

/// <summary>One section of the run report: its anchor, title, a lead sentence, tables, and the figures to keep for the
/// next run's deltas.</summary>
public sealed record ReportSection(string Id, string Title)
{
    public string? Lead { get; init; }

    public IReadOnlyList<ReportTable> Tables { get; init; } = [];

    /// <summary>Numbers the next run's section reads back as <see cref="ReportInput.Previous"/> (kept in the state
    /// folder).</summary>
    public IReadOnlyDictionary<string, double> Figures { get; init; } = new Dictionary<string, double>();
}

/// <summary>A table of a report section; <see cref="ReportRow.Bad"/> rows are shown as failures.</summary>
public sealed record ReportTable(string Caption, IReadOnlyList<string> Columns, IReadOnlyList<ReportRow> Rows);

/// <summary>One row of a <see cref="ReportTable"/>: its cells, in the table's column order.</summary>
public sealed record ReportRow(IReadOnlyList<string> Cells, bool Bad = false)
{
    /// <summary>
    /// What the row is about (an image by purpose and digest, a tag, a deploy's container): a later row of the same
    /// table with the same key takes its place, so a result kept both alone (the primary service's) and in a list
    /// (every service's) is shown once, as the list's row. Null: never replaced.
    /// </summary>
    public string? Key { get; init; }
}
