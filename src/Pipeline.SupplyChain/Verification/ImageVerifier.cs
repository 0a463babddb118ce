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
/// with one line that names it — no signature, a payload for another digest, a signature no allowed key made, provenance
/// missing or naming another repository or ref, no signed SBOM.
/// </summary>
public sealed class ImageVerifier(ILogger? logger = null) : IImageVerifier
{
    private const long MaxLayerBytes = 16 << 20;
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public async Task<VerificationReport> VerifyAsync(IImageSource source, Digest digest, VerificationPolicy policy, CancellationToken ct = default)
    {
        var passed = new List<string>();
        var attachments = await new AttachedArtifacts(_logger).ListAsync(source, digest, ct);
        var keys = string.Join(", ", policy.Keys.Select(k => k.Fingerprint));

        var signatures = attachments.Where(a => a.Kind == AttachmentTag.Signature).ToArray();
        if (signatures.Length == 0) return Fail($"no signature for {digest} in {source.Location} (no referrer, no tag {AttachmentTag.For(digest, AttachmentTag.Signature)})");
        string? why = null;
        foreach (var (layer, content) in await LayersAsync(source, signatures, ArtifactTypes.SimpleSigningLayer, ct))
        {
            var payload = SimpleSigningPayload.TryParse(content);
            var signature = DsseEnvelope.TryBase64(layer.Annotations?.GetValueOrDefault(ArtifactTypes.SignatureAnnotation));
            if (payload is null) why ??= "a signature layer is not a cosign simple-signing payload";
            else if (payload.ManifestDigest != digest) why = $"the signed payload names {payload.ManifestDigest}, not {digest}";
            else if (signature is null) why ??= "a signature layer has no signature annotation";
            else if (IsKeyless(layer, policy) && KeylessCheck.Verify(layer, content, signature, policy.Keyless!) is { } keylessFailure) why = keylessFailure;
            else if (!IsKeyless(layer, policy) && !policy.Keys.Any(k => k.Verifies(content, signature))) why = $"the signature does not verify with the allowed key(s) {keys} (tampered payload or another key)";
            else
            {
                why = null;
                passed.Add(IsKeyless(layer, policy) ? $"keyless signature over {digest.Short} (Fulcio certificate, Rekor entry)" : $"signature over {digest.Short} by {keys}");
                break;
            }
        }

        if (why is not null || passed.Count == 0) return Fail($"signature check failed for {digest}: {why ?? "no signature layer"}");

        var attestations = await LayersAsync(source, attachments.Where(a => a.Kind == AttachmentTag.Attestation).ToArray(), ArtifactTypes.DsseLayer, ct);
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

            var signed = IsKeyless(layer, policy) ? SignedKeyless(layer, envelope, policy.Keyless!) : envelope.IsSignedBy(policy.Keys);
            if (signed && StatementReader.TryParse(envelope.PayloadBytes) is { } statement && statement.Subjects.Contains(digest)) statements.Add(statement);
        }

        var provenance = statements.FirstOrDefault(s => s.PredicateType == InTotoStatement.SlsaProvenanceV1);
        if (provenance is null)
        {
            var unsigned = attestations.Count > 0 ? " (attestations are there, but none is a provenance statement for this digest signed by an allowed key)" : "";
            return Fail($"provenance check failed for {digest}: no signed SLSA provenance{unsigned}");
        }

        if (!policy.AllowsRepository(provenance.SourceRepository))
            return Fail($"provenance check failed for {digest}: built from {provenance.SourceRepository ?? "an unnamed repository"}, expected {policy.Repository}");
        if (!policy.AllowsRef(provenance.SourceRef))
            return Fail($"provenance check failed for {digest}: built from ref {provenance.SourceRef ?? "(none)"}, allowed: {string.Join(", ", policy.AllowedRefs)}");
        passed.Add($"provenance: {provenance.SourceRepository}@{provenance.SourceRef} by {provenance.BuilderId}");

        if (policy.RequireSbom)
        {
            if (!statements.Any(s => s.PredicateType == InTotoStatement.CycloneDx)) return Fail($"SBOM check failed for {digest}: no signed CycloneDX SBOM attestation");
            passed.Add("SBOM attestation (CycloneDX)");
        }

        return new VerificationReport(passed, null);

        VerificationReport Fail(string line) => new(passed, line);
    }

    /// <summary>A layer with a Fulcio certificate is judged by the keyless policy when there is one; else only keys count.</summary>
    private static bool IsKeyless(Descriptor layer, VerificationPolicy policy)
        => policy.Keyless is not null && layer.Annotations?.ContainsKey(ArtifactTypes.CertificateAnnotation) == true;

    private static bool SignedKeyless(Descriptor layer, DsseEnvelope envelope, KeylessPolicy keyless)
    {
        var payload = DsseEnvelope.TryBase64(envelope.Payload);
        if (payload is null) return false;
        var pae = DsseEnvelope.Pae(envelope.PayloadType, payload);
        return envelope.Signatures.Any(s => DsseEnvelope.TryBase64(s.Sig) is { } sig && KeylessCheck.Verify(layer, pae, sig, keyless) is null);
    }

    private static async Task<List<(Descriptor Layer, byte[] Content)>> LayersAsync(IImageSource source, IReadOnlyList<Attachment> attachments, string mediaType, CancellationToken ct)
    {
        var layers = new List<(Descriptor, byte[])>();
        foreach (var layer in attachments.SelectMany(a => a.Manifest.AsManifest().Layers).Where(l => l.MediaType == mediaType))
        {
            if (layer.Size > MaxLayerBytes) continue;
            await using var blob = await source.OpenBlobAsync(layer, ct);
            using var buffer = new MemoryStream();
            await blob.CopyToAsync(buffer, ct);
            layers.Add((layer, buffer.ToArray()));
        }

        return layers;
    }
}
