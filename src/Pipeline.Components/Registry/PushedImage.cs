using Pipeline.Engine;

namespace Pipeline.Components.Registry;

/// <summary>
/// Where a push put the image (<see cref="IPushGhcr.GhcrPush"/>, <see cref="IPushGar.GarPush"/>): its purpose, the
/// destination that took it (a fallback when <see cref="FellBack"/>, with the ledger record Reconcile acts on), the
/// digest, the full references written and why earlier destinations were passed over.
/// </summary>
public sealed record PushedImage(
    PushPurpose Purpose,
    string Destination,
    bool FellBack,
    string Digest,
    IReadOnlyList<string> References,
    IReadOnlyList<string> Failures,
    AbsolutePath? FallbackRecord
) : IReportSection
{
    /// <summary>A row of the report's images section (the repository's one image).</summary>
    public ReportSection ToReportSection(ReportInput input) => ImageReportRows.Of("(the image)", this);
}
