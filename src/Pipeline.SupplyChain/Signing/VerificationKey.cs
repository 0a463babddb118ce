using System.Security.Cryptography;

namespace Pipeline.SupplyChain.Signing;

/// <summary>A public key signatures must verify against (PEM SubjectPublicKeyInfo), named by its SHA-256 fingerprint in
/// messages.</summary>
public sealed class VerificationKey
{
    private readonly byte[] _spki;

    private VerificationKey(byte[] spki)
    {
        _spki = spki;
        Fingerprint = "SHA256:" + Convert.ToHexStringLower(SHA256.HashData(spki))[..16];
    }

    public string Fingerprint { get; }

    public static VerificationKey FromPem(string pem, string source)
    {
        using var key = ECDsa.Create();
        try
        {
            if (pem.Contains("PRIVATE KEY", StringComparison.Ordinal))
                throw new SupplyChainException($"{source} is a private key; give the public key (openssl ec -pubout)");
            key.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw new SupplyChainException($"{source} is not an EC public key in PEM (-----BEGIN PUBLIC KEY-----)");
        }

        return new VerificationKey(key.ExportSubjectPublicKeyInfo());
    }

    /// <summary>True when <paramref name="signature"/> (DER, or raw r||s) is this key's ECDSA-SHA256 signature over
    /// <paramref name="data"/>.</summary>
    public bool Verifies(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(_spki, out _);
        return key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
            || key.VerifyData(
                data,
                signature,
                HashAlgorithmName.SHA256,
                DSASignatureFormat.IeeeP1363FixedFieldConcatenation
            );
    }
}
