using Pipeline.Engine.Results;

namespace Pipeline.Components.Release;

/// <summary>
/// One service's CalVer tag, when services are released separately (<c>SERVICE_&lt;NAME&gt;_TAG_PREFIX</c>,
/// docs/services.md): <see cref="ITagCalVer.ServiceReleaseTags"/>, persisted to
/// <c>artifacts/results/TagCalVer.ServiceReleaseTags.json</c>.
/// </summary>
public sealed record ServiceReleaseTag(string Service, ReleaseTag Tag)
    : IResultPart,
        Pipeline.Engine.Report.IReportSection
{
    /// <summary>A row of the report's release section.</summary>
    public Pipeline.Engine.Report.ReportSection ToReportSection(Pipeline.Engine.Report.ReportInput input) =>
        ReleaseReportRows.Of(Service, Tag);

    string IResultPart.Part => Service;
}
