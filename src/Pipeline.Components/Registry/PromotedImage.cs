namespace Pipeline.Components.Registry;

/// <summary>What Promote copied (<see cref="IPromote.PromotedImage"/>): from where, for which purpose, the digest and
/// the references it now has.</summary>
public sealed record PromotedImage(
    PushPurpose Purpose,
    Pipeline.Registry.Reference Source,
    Pipeline.Registry.Digest Digest,
    IReadOnlyList<Pipeline.Registry.Reference> References,
    int BlobsMounted,
    long BytesSent
);
