namespace Pipeline.Components.Release;

/// <summary>
/// The CalVer tag TagCalVer put on HEAD, as <see cref="ITagCalVer.ReleaseTag"/> (persisted to
/// <c>artifacts/results/TagCalVer.ReleaseTag.json</c>): the tag, its commit, whether it was new or reused and pushed,
/// and the previous CalVer tag with its commit (the lower bound of the release notes), when there is one.
/// </summary>
public sealed record ReleaseTag(
    string Tag,
    string Commit,
    bool Created,
    bool Pushed,
    string? PreviousTag,
    string? PreviousCommit
) : Pipeline.Engine.Report.IReportSection
{
    /// <summary>A row of the report's release section.</summary>
    public Pipeline.Engine.Report.ReportSection ToReportSection(Pipeline.Engine.Report.ReportInput input) =>
        ReleaseReportRows.Of("(the repository)", this);

    public override string ToString() => Tag;
}
