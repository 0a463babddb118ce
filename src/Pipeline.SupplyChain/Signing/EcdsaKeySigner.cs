using System.Security.Cryptography;

namespace Pipeline.SupplyChain.Signing;

/// <summary>
/// Signs with an ECDSA P-256 private key in PEM (PKCS#8 <c>PRIVATE KEY</c> or SEC1 <c>EC PRIVATE KEY</c>, what
/// <c>openssl ecparam -genkey -name prime256v1</c> writes), in process through System.Security.Cryptography.
/// </summary>
public sealed class EcdsaKeySigner : ISigner, IDisposable
{
    private readonly ECDsa _key;

    private EcdsaKeySigner(ECDsa key, IReadOnlyList<string> chain)
    {
        _key = key;
        PublicKeyPem = key.ExportSubjectPublicKeyInfoPem();
        CertificateChain = chain;
    }

    public string PublicKeyPem { get; }

    public IReadOnlyList<string> CertificateChain { get; }

    /// <param name="pem">The key's PEM text.</param>
    /// <param name="source">Where it came from (<c>--signing-key / SIGNING_KEY</c>), for the one-line error; the key is
    /// never quoted.</param>
    public static EcdsaKeySigner FromPem(string pem, string source)
    {
        if (string.IsNullOrWhiteSpace(pem))
            throw new SupplyChainException($"{source} is empty; set it to an ECDSA P-256 private key in PEM");
        if (pem.Contains("ENCRYPTED", StringComparison.Ordinal))
            throw new SupplyChainException(
                $"{source} is an encrypted key; give the unencrypted PKCS#8 or EC PEM (openssl pkcs8 -topk8 -nocrypt)"
            );
        if (
            pem.Contains("PUBLIC KEY-----", StringComparison.Ordinal)
            || pem.Contains("CERTIFICATE-----", StringComparison.Ordinal)
        )
            throw new SupplyChainException(
                $"{source} is a public key or certificate, not a private key; it signs, so it takes "
                    + $"the ECDSA P-256 private key (the public half goes in --verify-key / VERIFY_KEY)"
            );
        if (
            pem.Contains("BEGIN RSA PRIVATE KEY", StringComparison.Ordinal)
            || pem.Contains("BEGIN DSA PRIVATE KEY", StringComparison.Ordinal)
            || pem.Contains("BEGIN OPENSSH PRIVATE KEY", StringComparison.Ordinal)
        )
            throw new SupplyChainException(
                $"{source} is not an ECDSA key (only ECDSA P-256 is "
                    + $"supported: openssl ecparam -genkey -name prime256v1)"
            );
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new SupplyChainException(
                $"{source} is not an EC private key in PEM (-----BEGIN "
                    + $"PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----)"
            );
        }

        return Usable(Checked(key, source, []), source);
    }

    /// <summary>A fresh key for one keyless signing (certified by Fulcio, never stored).</summary>
    public static EcdsaKeySigner Ephemeral() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256), []);

    /// <summary>The same key with the certificate chain Fulcio issued for it.</summary>
    public EcdsaKeySigner WithCertificates(IReadOnlyList<string> chain) => new(_key, chain);

    public byte[] Sign(ReadOnlySpan<byte> data) =>
        _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    /// <summary>Proof of possession for Fulcio: a signature over the OIDC token's subject.</summary>
    public byte[] SignText(string text) => Sign(System.Text.Encoding.UTF8.GetBytes(text));

    public void Dispose() => _key.Dispose();

    /// <summary>A key that imports may still not sign (a PKCS#8 wrapper with only the public point): one probe
    /// signature, verified, proves it.</summary>
    private static EcdsaKeySigner Usable(EcdsaKeySigner signer, string source)
    {
        var probe = "pipeline signing-key probe"u8.ToArray();
        try
        {
            var signature = signer.Sign(probe);
            if (
                signer._key.VerifyData(
                    probe,
                    signature,
                    HashAlgorithmName.SHA256,
                    DSASignatureFormat.Rfc3279DerSequence
                )
            )
                return signer;
        }
        catch (CryptographicException)
        {
            // reported below
        }

        signer.Dispose();
        throw new SupplyChainException(
            $"{source} holds no usable private key (a signature made with "
                + $"it does not verify); give the ECDSA P-256 private key in PEM"
        );
    }

    private static EcdsaKeySigner Checked(ECDsa key, string source, IReadOnlyList<string> chain)
    {
        var curve = key.ExportParameters(false).Curve;
        if (!curve.IsNamed || curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            key.Dispose();
            throw new SupplyChainException(
                $"{source} is not a P-256 key (curve {curve.Oid.FriendlyName ?? curve.Oid.Value}); "
                    + $"cosign-compatible signatures need prime256v1"
            );
        }

        return new EcdsaKeySigner(key, chain);
    }
}
