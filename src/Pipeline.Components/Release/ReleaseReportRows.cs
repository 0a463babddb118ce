using Pipeline.Engine.Report;

namespace Pipeline.Components.Release;

/// <summary>The run report's release section: each tag this run made or reused, its commit, whether it was pushed, and
/// the tag before it.</summary>
internal static class ReleaseReportRows
{
    public static ReportSection Of(string service, ReleaseTag tag) =>
        new("release", "Release")
        {
            Lead = "The release tags of this run, as Tag recorded them.",
            Tables =
            [
                new ReportTable(
                    "Tags",
                    ["Service", "Tag", "Commit", "New", "Pushed", "Previous tag"],
                    [
                        new ReportRow([
                            service,
                            tag.Tag,
                            tag.Commit,
                            tag.Created ? "yes" : "reused",
                            tag.Pushed ? "yes" : "no",
                            tag.PreviousTag is { } p ? $"{p} ({tag.PreviousCommit})" : "none",
                        ])
                        {
                            Key = tag.Tag,
                        },
                    ]
                ), // ReleaseTag is also the primary service's
            ],
        };
}
