using Pipeline.Engine.Paths;
using Pipeline.Engine.Report;

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
    Pipeline.Registry.Digest Digest,
    IReadOnlyList<string> References,
    IReadOnlyList<string> Failures,
    AbsolutePath? FallbackRecord
) : IReportSection
{
    /// <summary>
    /// The image's size in bytes: its config and layers as stored, compressed (each distinct blob of every platform,
    /// for an index); 0 in a result recorded before the push kept it.
    /// </summary>
    public long Size { get; init; }

    /// <summary>Blobs (layers and configs) the push uploaded to the destination that took the image.</summary>
    public int BlobsUploaded { get; init; }

    /// <summary>Blobs the destination mounted from another repository of the same registry instead of an
    /// upload.</summary>
    public int BlobsMounted { get; init; }

    /// <summary>Blobs the destination had already (an earlier push of a shared base layer).</summary>
    public int BlobsPresent { get; init; }

    /// <summary>Bytes the push sent.</summary>
    public long BytesSent { get; init; }

    /// <summary>The signature, attestations and SBOM attached before the push (null: the image went
    /// unsigned).</summary>
    public ImageAttachments? Attachments { get; init; }

    /// <summary>A row of the report's images section (the repository's one image).</summary>
    public ReportSection ToReportSection(ReportInput input) => ImageReportRows.Of("(the image)", this);
}
