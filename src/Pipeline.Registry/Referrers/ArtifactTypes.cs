namespace Pipeline.Registry.Referrers;

/// <summary>
/// Media and artifact types of what is attached to an image, as cosign writes them: a simple-signing payload per
/// signature layer, a DSSE envelope per attestation layer, the SBOM document itself.
/// </summary>
public static class ArtifactTypes
{
    /// <summary>cosign's artifact type for signatures stored as OCI 1.1 referrers.</summary>
    public const string Signature = "application/vnd.dev.cosign.artifact.sig.v1+json";

    /// <summary>cosign's artifact type for attestations (DSSE envelopes) stored as referrers.</summary>
    public const string Attestation = "application/vnd.dev.cosign.artifact.att.v1+json";

    /// <summary>SBOMs stored as referrers: the SBOM's own media type.</summary>
    public const string Sbom = "application/vnd.cyclonedx+json";

    public const string SimpleSigningLayer = "application/vnd.dev.cosign.simplesigning.v1+json";
    public const string DsseLayer = "application/vnd.dsse.envelope.v1+json";
    public const string CycloneDxLayer = "application/vnd.cyclonedx+json";

    /// <summary>Layer annotation holding the base64 signature over the layer (cosign).</summary>
    public const string SignatureAnnotation = "dev.cosignproject.cosign/signature";

    /// <summary>Layer annotations of keyless signatures: the Fulcio certificate, its chain and the Rekor
    /// bundle.</summary>
    public const string CertificateAnnotation = "dev.sigstore.cosign/certificate";
    public const string ChainAnnotation = "dev.sigstore.cosign/chain";
    public const string BundleAnnotation = "dev.sigstore.cosign/bundle";

    /// <summary>Layer annotation naming an attestation's predicate type (cosign).</summary>
    public const string PredicateTypeAnnotation = "predicateType";
}
