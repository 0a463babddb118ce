using Pipeline.Engine.Paths;
using Pipeline.Engine.Report;
using Pipeline.Engine.Results;

namespace Pipeline.Components.Release;

/// <summary>
/// One release Release published in this run (<see cref="IRelease.PublishedReleases"/>, persisted to
/// <c>artifacts/results/Release.PublishedReleases.json</c>): the tag, the service it belongs to (null: the
/// repository's), and where it is — the GitHub release's page (its <c>html_url</c>) when published through the API, the
/// local record's folder (<c>artifacts/releases/&lt;tag&gt;</c>, relative to the root) otherwise.
/// </summary>
/// <param name="OnGitHub">True when published through the GitHub API; false for the local record (no token).</param>
/// <param name="Created">True when this run created it; false when it updated one an earlier run made.</param>
public sealed record PublishedRelease(
    string? Service,
    string Tag,
    string Location,
    bool OnGitHub,
    bool Created,
    bool Draft,
    bool Prerelease,
    int Assets
) : IResultPart, IReportSection
{
    /// <summary>A row of the report's release section, beside the tags' rows.</summary>
    public ReportSection ToReportSection(ReportInput input) =>
        new("release", "Release")
        {
            Tables =
            [
                new ReportTable(
                    "Published",
                    ["Service", "Tag", "Release", "Where", "State", "Assets"],
                    [
                        new ReportRow([
                            Service ?? "(the repository)",
                            Tag,
                            OnGitHub ? Location : Relative(Location, input.RootDirectory),
                            OnGitHub ? "GitHub" : "local record (no GitHub token)",
                            $"{(Created ? "created" : "updated")}, "
                                + $"{(Draft ? "draft" : "published")}{(Prerelease ? ", pre-release" : "")}",
                            Assets.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        ])
                        {
                            Key = Tag,
                        },
                    ]
                ),
            ],
        };

    private static string Relative(string folder, AbsolutePath root) =>
        Path.IsPathRooted(folder) && folder.StartsWith(root + "/", StringComparison.Ordinal)
            ? Path.GetRelativePath(root, folder)
            : folder;

    string IResultPart.Part => Service ?? Tag; // matrix legs releasing one service each join into one list
}
