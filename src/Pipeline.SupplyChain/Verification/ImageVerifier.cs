using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Registry;
using Pipeline.Registry.Images;
using Pipeline.Registry.Referrers;
using Pipeline.SupplyChain.Cosign;
using Pipeline.SupplyChain.Dsse;
using Pipeline.SupplyChain.Provenance;

namespace Pipeline.SupplyChain.Verification;

/// <summary>
/// Verifies what <see cref="Attaching.ImageAttestor"/> (or cosign) attached: each step stops at the first failed check
/// with one line that names it — no signature, a payload for another digest, a signature no allowed key made,
/// provenance missing or naming another repository or ref, no signed SBOM.
/// </summary>
public sealed class ImageVerifier(ILogger? logger = null) : IImageVerifier
{
    private const long MaxLayerBytes = 16 << 20;
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>
    /// An image, or a multi-platform index: then the signature and provenance are checked on the index, and every child
    /// listed must exist and carry its own signed SBOM (a platform image whose SBOM was removed fails the whole index).
    /// </summary>
    public async Task<VerificationReport> VerifyAsync(
        IImageSource source,
        Digest digest,
        VerificationPolicy policy,
        CancellationToken ct = default
    )
    {
        RawManifest root;
        try
        {
            root = await source.GetManifestAsync(digest.ToString(), ct);
        }
        catch (RegistryException)
        {
            return await VerifyOneAsync(source, digest, policy, ct); // says what is missing in its own words
        }

        if (!root.IsIndex)
            return await VerifyOneAsync(source, digest, policy, ct);
        var report = await VerifyOneAsync(source, digest, policy with { RequireSbom = false }, ct);
        if (!report.Succeeded)
            return report;
        var passed = report.Passed.ToList();
        foreach (var child in root.AsIndex().Manifests)
        {
            var platform = child.Platform?.ToString() ?? "unknown platform";
            try
            {
                await source.GetManifestAsync(child.Digest.ToString(), ct);
            }
            catch (RegistryException e)
            {
                return new VerificationReport(
                    passed,
                    $"index {digest.Short}: its {platform} image {child.Digest} is missing ({e.Message})"
                );
            }

            if (!policy.RequireSbom)
                continue;
            var statements = await SignedStatementsAsync(
                source,
                child.Digest,
                policy,
                await new AttachedArtifacts(_logger).ListAsync(source, child.Digest, ct),
                ct
            );
            if (!statements.Statements.Any(st => st.PredicateType == InTotoStatement.CycloneDx))
                return new VerificationReport(
                    passed,
                    $"SBOM check failed for {child.Digest} ({platform}, a platform "
                        + $"image of index {digest.Short}): no signed CycloneDX SBOM attestation"
                );
            passed.Add($"SBOM attestation (CycloneDX) of {platform}");
        }

        return new VerificationReport(passed, null);
    }

    private async Task<VerificationReport> VerifyOneAsync(
        IImageSource source,
        Digest digest,
        VerificationPolicy policy,
        CancellationToken ct
    )
    {
        var passed = new List<string>();
        var attachments = await new AttachedArtifacts(_logger).ListAsync(source, digest, ct);
        var keys = string.Join(", ", policy.Keys.Select(k => k.Fingerprint));

        var signatures = attachments.Where(a => a.Kind == AttachmentTag.Signature).ToArray();
        if (signatures.Length == 0)
            return Fail(
                $"no signature for {digest} in {source.Location} (no referrer, "
                    + $"no tag {AttachmentTag.For(digest, AttachmentTag.Signature)})"
            );
        string? why = null;
        foreach (var (layer, content) in await LayersAsync(source, signatures, ArtifactTypes.SimpleSigningLayer, ct))
        {
            var payload = SimpleSigningPayload.TryParse(content);
            var signature = DsseEnvelope.TryBase64(
                layer.Annotations?.GetValueOrDefault(ArtifactTypes.SignatureAnnotation)
            );
            if (payload is null)
                why ??= "a signature layer is not a cosign simple-signing payload";
            else if (payload.ManifestDigest != digest)
                why = $"the signed payload names {payload.ManifestDigest}, not {digest}";
            else if (signature is null)
                why ??= "a signature layer has no signature annotation";
            else if (
                IsKeyless(layer, policy)
                && KeylessCheck.Verify(layer, content, signature, policy.Keyless!) is { } keylessFailure
            )
                why = keylessFailure;
            else if (!IsKeyless(layer, policy) && !policy.Keys.Any(k => k.Verifies(content, signature)))
                why = $"the signature does not verify with the allowed key(s) {keys} (tampered payload or another key)";
            else
            {
                why = null;
                passed.Add(
                    IsKeyless(layer, policy)
                        ? $"keyless signature over {digest.Short} (Fulcio certificate, Rekor entry)"
                        : $"signature over {digest.Short} by {keys}"
                );
                break;
            }
        }

        if (why is not null || passed.Count == 0)
            return Fail($"signature check failed for {digest}: {why ?? "no signature layer"}");

        var (statements, attestations) = await SignedStatementsAsync(source, digest, policy, attachments, ct);
        var provenance = statements.FirstOrDefault(s => s.PredicateType == InTotoStatement.SlsaProvenanceV1);
        if (provenance is null)
        {
            var unsigned =
                attestations > 0
                    ? " (attestations are there, but none is a provenance "
                        + "statement for this digest signed by an allowed key)"
                    : "";
            return Fail($"provenance check failed for {digest}: no signed SLSA provenance{unsigned}");
        }

        if (!policy.AllowsRepository(provenance.SourceRepository))
            return Fail(
                $"provenance check failed for {digest}: built from "
                    + $"{provenance.SourceRepository ?? "an unnamed repository"}, "
                    + $"expected {policy.Repository}"
            );
        if (!policy.AllowsRef(provenance.SourceRef))
            return Fail(
                $"provenance check failed for {digest}: built from ref "
                    + $"{provenance.SourceRef ?? "(none)"}, allowed: {string.Join(", ", policy.AllowedRefs)}"
            );
        passed.Add($"provenance: {provenance.SourceRepository}@{provenance.SourceRef} by {provenance.BuilderId}");

        if (policy.RequireSbom)
        {
            if (!statements.Any(s => s.PredicateType == InTotoStatement.CycloneDx))
                return Fail($"SBOM check failed for {digest}: no signed CycloneDX SBOM attestation");
            passed.Add("SBOM attestation (CycloneDX)");
        }

        return new VerificationReport(passed, null);

        VerificationReport Fail(string line) => new(passed, line);
    }

    /// <summary>The in-toto statements about <paramref name="digest"/> signed by an allowed key (or keyless identity),
    /// and how many attestation layers there were.</summary>
    private static async Task<(List<StatementReader> Statements, int Attestations)> SignedStatementsAsync(
        IImageSource source,
        Digest digest,
        VerificationPolicy policy,
        IReadOnlyList<Attachment> attachments,
        CancellationToken ct
    )
    {
        var attestations = await LayersAsync(
            source,
            attachments.Where(a => a.Kind == AttachmentTag.Attestation).ToArray(),
            ArtifactTypes.DsseLayer,
            ct
        );
        var statements = new List<StatementReader>();
        foreach (var (layer, content) in attestations)
        {
            DsseEnvelope envelope;
            try
            {
                envelope = DsseEnvelope.Parse(content, "attestation");
            }
            catch (SupplyChainException)
            {
                continue;
            }

            var signed = IsKeyless(layer, policy)
                ? SignedKeyless(layer, envelope, policy.Keyless!)
                : envelope.IsSignedBy(policy.Keys);
            if (
                signed
                && StatementReader.TryParse(envelope.PayloadBytes) is { } statement
                && statement.Subjects.Contains(digest)
            )
                statements.Add(statement);
        }

        return (statements, attestations.Count);
    }

    /// <summary>A layer with a Fulcio certificate is judged by the keyless policy when there is one; else only keys
    /// count.</summary>
    private static bool IsKeyless(Descriptor layer, VerificationPolicy policy) =>
        policy.Keyless is not null && layer.Annotations?.ContainsKey(ArtifactTypes.CertificateAnnotation) == true;

    private static bool SignedKeyless(Descriptor layer, DsseEnvelope envelope, KeylessPolicy keyless)
    {
        var payload = DsseEnvelope.TryBase64(envelope.Payload);
        if (payload is null)
            return false;
        var pae = DsseEnvelope.Pae(envelope.PayloadType, payload);
        return envelope.Signatures.Any(s =>
            DsseEnvelope.TryBase64(s.Sig) is { } sig && KeylessCheck.Verify(layer, pae, sig, keyless) is null
        );
    }

    private static async Task<List<(Descriptor Layer, byte[] Content)>> LayersAsync(
        IImageSource source,
        IReadOnlyList<Attachment> attachments,
        string mediaType,
        CancellationToken ct
    )
    {
        var layers = new List<(Descriptor, byte[])>();
        foreach (
            var layer in attachments
                .SelectMany(a => a.Manifest.AsManifest().Layers)
                .Where(l => l.MediaType == mediaType)
        )
        {
            if (layer.Size > MaxLayerBytes)
                continue;
            await using var blob = await source.OpenBlobAsync(layer, ct);
            using var buffer = new MemoryStream();
            await blob.CopyToAsync(buffer, ct);
            layers.Add((layer, buffer.ToArray()));
        }

        return layers;
    }
}
