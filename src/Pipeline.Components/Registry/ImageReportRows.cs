using Pipeline.Engine.Report;

namespace Pipeline.Components.Registry;

/// <summary>
/// The run report's images section: one row per push (a service's, or the repository's one image) with what the push
/// recorded: references, digest (a manifest's or an index's: the column says digest, whatever it names), size, the
/// blobs uploaded, mounted and already there, the registry that took it, a failover marked with the destinations passed
/// over and why, and the signature, attestations and SBOM attached. Whether they verify is Verify's own table in the
/// section (VerifiedImage).
/// </summary>
internal static class ImageReportRows
{
    private static readonly string[] Columns =
    [
        "Service",
        "Purpose",
        "References",
        "Digest",
        "Size",
        "Layers",
        "Registry",
        "Failover",
        "Signature, provenance, SBOM",
    ];

    public static ReportSection Of(string service, PushedImage push) =>
        new("images", "Images")
        {
            Lead =
                "Each image a push in this run put into a registry, as its "
                + "result recorded it; layers count blobs (layers and configs).",
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
                                push.Digest.ToString(),
                                push.Size > 0 ? Bytes(push.Size) : "not recorded",
                                Layers(push),
                                push.Destination,
                                push.FellBack ? $"fell back ({string.Join("; ", push.Failures)})" : "no",
                                Attached(push.Attachments),
                            ],
                            Bad: push.FellBack
                        )
                        {
                            Key = $"{push.Purpose}|{push.Destination}|{push.Digest}",
                        }, // GarPush is also the primary service's row
                    ]
                ),
            ],
        };

    private static string Layers(PushedImage push) =>
        push.BlobsUploaded + push.BlobsMounted + push.BlobsPresent == 0
            ? "not recorded"
            : $"{push.BlobsUploaded} pushed ({Bytes(push.BytesSent)}), "
                + $"{push.BlobsMounted} mounted, {push.BlobsPresent} already there";

    private static string Attached(ImageAttachments? attachments) =>
        attachments is null
            ? "none attached (unsigned)"
            : $"attached: signature {Short(attachments.Signature)}, provenance and SBOM "
                + $"statements {Short(attachments.Attestations)}, SBOM {Short(attachments.Sbom)}";

    private static string Short(string digest) =>
        digest.StartsWith("sha256:", StringComparison.Ordinal) && digest.Length > 19 ? digest[..19] : digest;

    internal static string Bytes(long bytes) =>
        bytes switch
        {
            >= 1L << 30 => FormattableString.Invariant($"{bytes / (double)(1L << 30):0.0} GiB"),
            >= 1L << 20 => FormattableString.Invariant($"{bytes / (double)(1L << 20):0.0} MiB"),
            >= 1L << 10 => FormattableString.Invariant($"{bytes / (double)(1L << 10):0.0} KiB"),
            _ => FormattableString.Invariant($"{bytes} B"),
        };
}
