using Pipeline.Engine;

namespace Pipeline.Components.Registry;

/// <summary>
/// The run report's images section: one row per push (a service's, or the repository's one image) with what the push
/// recorded: references, digest (a manifest's or an index's: the column says digest, whatever it names), the registry
/// that took it, and a failover marked with the destinations passed over and why.
/// </summary>
internal static class ImageReportRows
{
    private static readonly string[] Columns = ["Service", "Purpose", "References", "Digest", "Registry", "Failover"];

    public static ReportSection Of(string service, PushedImage push) =>
        new("images", "Images")
        {
            Lead = "Each image a push in this run put into a registry, as its result recorded it.",
            Tables =
            [
                new ReportTable(
                    "Pushed",
                    Columns,
                    [
                        new ReportRow(
                            [
                                service,
                                push.Purpose.ToString(),
                                string.Join(", ", push.References),
                                push.Digest,
                                push.Destination,
                                push.FellBack ? $"fell back ({string.Join("; ", push.Failures)})" : "no",
                            ],
                            Bad: push.FellBack
                        ),
                    ]
                ),
            ],
        };
}
