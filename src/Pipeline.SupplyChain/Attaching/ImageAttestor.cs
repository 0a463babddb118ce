using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Registry;
using Pipeline.Registry.Images;
using Pipeline.Registry.Referrers;
using Pipeline.SupplyChain.Cosign;
using Pipeline.SupplyChain.Dsse;
using Pipeline.SupplyChain.Provenance;
using Pipeline.SupplyChain.Signing;

namespace Pipeline.SupplyChain.Attaching;

/// <summary>What was attached to an image: the digests of the signature, attestation and SBOM manifests.</summary>
public sealed record AttachedSet(Digest Image, Digest Signature, Digest Attestations, Digest Sbom);

/// <summary>
/// Signs an image and attaches, in cosign's formats: a signature over the simple-signing payload (<c>.sig</c>), two
/// DSSE-signed in-toto statements — SLSA provenance and the CycloneDX SBOM (<c>.att</c>) — and the SBOM itself
/// (<c>.sbom</c>). Written to any <see cref="IImageTarget"/>: the push's local layout, so every copy of the image
/// carries them.
/// </summary>
public sealed class ImageAttestor(ISigner signer, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <param name="image">The image manifest (the subject); its digest is what gets signed.</param>
    /// <param name="repositoryName">Where the image is meant to live (<c>ghcr.io/owner/app</c>): the signature's
    /// docker-reference.</param>
    public async Task<AttachedSet> AttachAsync(
        IImageTarget target,
        RawManifest image,
        string repositoryName,
        BuildFacts facts,
        byte[] sbom,
        CancellationToken ct = default
    )
    {
        var subject = image.Descriptor;
        var attached = new AttachedArtifacts(_logger);

        var payload = new SimpleSigningPayload(repositoryName, image.Digest).ToBytes();
        var payloadSignature = signer.Sign(payload);
        var signature = await attached.AttachAsync(
            target,
            subject,
            AttachmentTag.Signature,
            [
                Layer(
                    ArtifactTypes.SimpleSigningLayer,
                    payload,
                    Convert.ToBase64String(payloadSignature),
                    await signer.LogAsync(payload, payloadSignature, ct)
                ),
            ],
            ct
        );

        var provenance = await EnvelopeLayerAsync(
            InTotoStatement.Provenance(repositoryName, image.Digest, facts),
            InTotoStatement.SlsaProvenanceV1,
            ct
        );
        var sbomStatement = await EnvelopeLayerAsync(
            InTotoStatement.Sbom(repositoryName, image.Digest, sbom),
            InTotoStatement.CycloneDx,
            ct
        );
        var attestations = await attached.AttachAsync(
            target,
            subject,
            AttachmentTag.Attestation,
            [provenance, sbomStatement],
            ct
        );

        var sbomDigest = await attached.AttachAsync(
            target,
            subject,
            AttachmentTag.Sbom,
            [
                (
                    new Descriptor
                    {
                        MediaType = ArtifactTypes.CycloneDxLayer,
                        Digest = Digest.Sha256(sbom),
                        Size = sbom.Length,
                    },
                    sbom
                ),
            ],
            ct
        );
        _logger.LogInformation(
            "{Target}: signed {Digest} and attached provenance and SBOM",
            target.Location,
            image.Digest.Short
        );
        return new AttachedSet(image.Digest, signature, attestations, sbomDigest);
    }

    /// <summary>
    /// A multi-platform image: the signature and the provenance name the index digest (what a tag and a deploy name);
    /// each child gets its own SBOM, as a signed CycloneDX statement and as the <c>.sbom</c> attachment, on the child's
    /// digest (what a puller of one platform really runs). Returns the index's set (its SBOM digest: the first
    /// child's).
    /// </summary>
    public async Task<AttachedSet> AttachIndexAsync(
        IImageTarget target,
        RawManifest index,
        IReadOnlyList<(RawManifest Child, byte[] Sbom)> children,
        string repositoryName,
        BuildFacts facts,
        CancellationToken ct = default
    )
    {
        if (!index.IsIndex)
            throw new SupplyChainException($"{index.Digest} is not an image index");
        var subject = index.Descriptor;
        var attached = new AttachedArtifacts(_logger);
        var payload = new SimpleSigningPayload(repositoryName, index.Digest).ToBytes();
        var payloadSignature = signer.Sign(payload);
        var signature = await attached.AttachAsync(
            target,
            subject,
            AttachmentTag.Signature,
            [
                Layer(
                    ArtifactTypes.SimpleSigningLayer,
                    payload,
                    Convert.ToBase64String(payloadSignature),
                    await signer.LogAsync(payload, payloadSignature, ct)
                ),
            ],
            ct
        );
        var provenance = await EnvelopeLayerAsync(
            InTotoStatement.Provenance(repositoryName, index.Digest, facts),
            InTotoStatement.SlsaProvenanceV1,
            ct
        );
        var attestations = await attached.AttachAsync(target, subject, AttachmentTag.Attestation, [provenance], ct);

        Digest? firstSbom = null;
        foreach (var (child, sbom) in children)
        {
            var statement = await EnvelopeLayerAsync(
                InTotoStatement.Sbom(repositoryName, child.Digest, sbom),
                InTotoStatement.CycloneDx,
                ct
            );
            await attached.AttachAsync(target, child.Descriptor, AttachmentTag.Attestation, [statement], ct);
            var sbomDigest = await attached.AttachAsync(
                target,
                child.Descriptor,
                AttachmentTag.Sbom,
                [
                    (
                        new Descriptor
                        {
                            MediaType = ArtifactTypes.CycloneDxLayer,
                            Digest = Digest.Sha256(sbom),
                            Size = sbom.Length,
                        },
                        sbom
                    ),
                ],
                ct
            );
            firstSbom ??= sbomDigest;
        }

        _logger.LogInformation(
            "{Target}: signed index {Digest}, provenance attached; an SBOM on each of its {Count} children",
            target.Location,
            index.Digest.Short,
            children.Count
        );
        return new AttachedSet(index.Digest, signature, attestations, firstSbom ?? attestations);
    }

    /// <summary>A DSSE-signed statement as an attestation layer; keyless signatures over its PAE are logged like the
    /// image's.</summary>
    private async Task<(Descriptor, byte[])> EnvelopeLayerAsync(
        byte[] statement,
        string predicateType,
        CancellationToken ct
    )
    {
        var envelope = DsseEnvelope.Sign(DsseEnvelope.InTotoPayloadType, statement, signer);
        var bundle = await signer.LogAsync(
            DsseEnvelope.Pae(envelope.PayloadType, statement),
            Convert.FromBase64String(envelope.Signatures[0].Sig),
            ct
        );
        return Layer(ArtifactTypes.DsseLayer, envelope.ToJson(), "", bundle, predicateType);
    }

    private (Descriptor, byte[]) Layer(
        string mediaType,
        byte[] content,
        string signature,
        string? bundle,
        string? predicateType = null
    )
    {
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ArtifactTypes.SignatureAnnotation] = signature,
        };
        if (predicateType is not null)
            annotations[ArtifactTypes.PredicateTypeAnnotation] = predicateType;
        if (bundle is not null)
            annotations[ArtifactTypes.BundleAnnotation] = bundle;
        if (signer.CertificateChain.Count > 0)
        {
            annotations[ArtifactTypes.CertificateAnnotation] = signer.CertificateChain[0];
            annotations[ArtifactTypes.ChainAnnotation] = string.Concat(signer.CertificateChain.Skip(1));
        }

        return (
            new Descriptor
            {
                MediaType = mediaType,
                Digest = Digest.Sha256(content),
                Size = content.Length,
                Annotations = annotations,
            },
            content
        );
    }
}
