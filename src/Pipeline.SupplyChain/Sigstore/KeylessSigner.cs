using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Pipeline.SupplyChain.Signing;

namespace Pipeline.SupplyChain.Sigstore;

/// <summary>
/// Keyless signing on GitHub Actions, cosign's flow without cosign: a fresh P-256 key for this run, the job's OIDC
/// token (audience <c>sigstore</c>) exchanged at Fulcio for a short-lived certificate naming the workflow, and every
/// signature logged in Rekor (hashedrekord) with the entry kept as cosign's bundle annotation. The key never leaves the
/// process.
/// </summary>
public sealed class KeylessSigner : ISigner, IDisposable
{
    private readonly EcdsaKeySigner _key;
    private readonly RekorClient _rekor;

    private KeylessSigner(EcdsaKeySigner key, RekorClient rekor)
    {
        _key = key;
        _rekor = rekor;
    }

    public string PublicKeyPem => _key.PublicKeyPem;

    public IReadOnlyList<string> CertificateChain => _key.CertificateChain;

    /// <summary>The identity Fulcio certified (the certificate's URI SAN: the workflow at its ref).</summary>
    public string Identity { get; private init; } = "";

    public static async Task<KeylessSigner> CreateAsync(
        HttpClient http,
        string oidcRequestUrl,
        string oidcRequestToken,
        FulcioClient fulcio,
        RekorClient rekor,
        CancellationToken ct = default
    )
    {
        var token = await GitHubOidc.RequestAsync(http, oidcRequestUrl, oidcRequestToken, "sigstore", ct);
        // the certified signer below shares this key; disposed only on failure
        var ephemeral = EcdsaKeySigner.Ephemeral();
        try
        {
            var chain = await fulcio.SigningCertificateAsync(token, ephemeral, ct);
            using var leaf = X509Certificate2.CreateFromPem(chain[0]);
            using var certified =
                leaf.GetECDsaPublicKey() ?? throw new SupplyChainException("Fulcio's certificate holds no ECDSA key");
            if (!certified.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(ECDsaPublicKey(ephemeral)))
                throw new SupplyChainException(
                    "Fulcio's certificate is for another key than the one this run generated"
                );
            return new KeylessSigner(ephemeral.WithCertificates(chain), rekor)
            {
                Identity = CertificateIdentity.Of(leaf).Subject ?? "",
            };
        }
        catch
        {
            ephemeral.Dispose();
            throw;
        }
    }

    public byte[] Sign(ReadOnlySpan<byte> data) => _key.Sign(data);

    public async Task<string?> LogAsync(byte[] data, byte[] signature, CancellationToken ct = default) =>
        (await _rekor.UploadAsync(signature, CertificateChain[0], SHA256.HashData(data), ct)).ToCosignBundle();

    public void Dispose() => _key.Dispose();

    private static byte[] ECDsaPublicKey(EcdsaKeySigner key)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(key.PublicKeyPem);
        return ecdsa.ExportSubjectPublicKeyInfo();
    }
}
