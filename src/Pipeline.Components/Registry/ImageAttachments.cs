namespace Pipeline.Components.Registry;

/// <summary>
/// What a push carried besides the image, as the component that attached it recorded it (<see
/// cref="IAttachBeforePush"/>, the supply chain's): the digests of the signature, of the signed attestations (SLSA
/// provenance and the SBOM statement) and of the SBOM itself (the first platform's, for an index).
/// </summary>
public sealed record ImageAttachments(string Signature, string Attestations, string Sbom);
