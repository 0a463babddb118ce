using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Pipeline.Registry.Images;
using Pipeline.Registry.Referrers;
using Pipeline.SupplyChain.Sigstore;

namespace Pipeline.SupplyChain.Verification;

/// <summary>
/// Checks a keyless (Fulcio + Rekor) signature the way cosign does: the certificate chains to a trusted Fulcio root at
/// the time Rekor logged the entry, names an allowed identity and issuer, its key made the signature, and the Rekor
/// bundle is signed by a trusted Rekor key and logs this signature's data hash. Returns null when it holds, else what
/// failed.
/// </summary>
internal static class KeylessCheck
{
    public static string? Verify(Descriptor layer, byte[] signedData, byte[] signature, KeylessPolicy policy)
    {
        var annotations = layer.Annotations ?? new Dictionary<string, string>();
        if (!annotations.TryGetValue(ArtifactTypes.CertificateAnnotation, out var pem))
            return "no certificate (not a keyless signature)";
        X509Certificate2 leaf;
        try
        {
            leaf = X509Certificate2.CreateFromPem(pem);
        }
        catch (CryptographicException)
        {
            return "the signing certificate is not a PEM certificate";
        }

        using (leaf)
        {
            var entry = RekorEntry.FromCosignBundle(annotations.GetValueOrDefault(ArtifactTypes.BundleAnnotation));
            if (entry is null)
                return "no Rekor bundle: the signature was never logged";
            if (
                !policy.RekorKeys.Any(k =>
                    Convert.FromBase64String(entry.SignedEntryTimestamp) is var set
                    && k.Verifies(entry.SignedBytes(), set)
                )
            )
                return "the Rekor bundle is not signed by a trusted Rekor key";
            if (!LogsHash(entry, SHA256.HashData(signedData)))
                return "the Rekor entry logs another artifact than this signature's";

            var loggedAt = DateTimeOffset.FromUnixTimeSeconds(entry.IntegratedTime).UtcDateTime;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(policy.FulcioRoots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            // Fulcio certificates live minutes; what counts is when Rekor saw the signature
            chain.ChainPolicy.VerificationTime = loggedAt;
            chain.ChainPolicy.VerificationTimeIgnored = false;
            foreach (var intermediate in Certificates(annotations.GetValueOrDefault(ArtifactTypes.ChainAnnotation)))
                chain.ChainPolicy.ExtraStore.Add(intermediate);
            if (!chain.Build(leaf))
                return $"the signing certificate does not chain to the trusted Fulcio root at "
                    + $"{loggedAt:u} ({chain.ChainStatus.FirstOrDefault().StatusInformation.Trim()})";

            var identity = CertificateIdentity.Of(leaf);
            if (!policy.Allows(identity))
                return $"signed by {identity.Subject ?? "(no subject)"} ({identity.Issuer ?? "no issuer"}), "
                    + $"not an allowed identity ({string.Join(", ", policy.Identities)})";
            using var key = leaf.GetECDsaPublicKey();
            if (
                key is null
                || !key.VerifyData(
                    signedData,
                    signature,
                    HashAlgorithmName.SHA256,
                    DSASignatureFormat.Rfc3279DerSequence
                )
            )
                return "the signature does not verify with the certified key (tampered payload)";
            return null;
        }
    }

    private static bool LogsHash(RekorEntry entry, byte[] sha256)
    {
        try
        {
            using var body = JsonDocument.Parse(Convert.FromBase64String(entry.Body));
            var hash = body.RootElement.GetProperty("spec").GetProperty("data").GetProperty("hash");
            return hash.GetProperty("algorithm").GetString() == "sha256"
                && hash.GetProperty("value").GetString() == Convert.ToHexStringLower(sha256);
        }
        catch (Exception e)
            when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }

    private static IEnumerable<X509Certificate2> Certificates(string? pem)
    {
        if (string.IsNullOrWhiteSpace(pem))
            return [];
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(pem);
        return collection;
    }
}
