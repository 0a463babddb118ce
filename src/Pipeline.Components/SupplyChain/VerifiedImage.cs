using Pipeline.Engine.Report;

namespace Pipeline.Components.SupplyChain;

/// <summary>
/// One image Verify accepted (<see cref="ISupplyChain.VerifiedImages"/>, persisted to
/// <c>artifacts/results/Verify.VerifiedImages.json</c>): the image by digest, the service it belongs to (null: the
/// repository's image, or one named by <c>--verify-image</c>) and the checks that passed — signature, provenance, SBOM.
/// A refused image has no row: Verify stops the run with one line instead.
/// </summary>
public sealed record VerifiedImage(string? Service, string Image, IReadOnlyList<string> Checks) : IReportSection
{
    /// <summary>A row of the report's images section, beside the pushes' rows.</summary>
    public ReportSection ToReportSection(ReportInput input) =>
        new("images", "Images")
        {
            Tables =
            [
                new ReportTable(
                    "Verified by Verify in this run",
                    ["Service", "Image", "Checks passed"],
                    [new ReportRow([Service ?? "(the image)", Image, string.Join("; ", Checks)]) { Key = Image }]
                ),
            ],
        };
}
