namespace Pipeline.SupplyChain.Signing;

/// <summary>Signs bytes with an ECDSA P-256 key: a key from a secret, or a short-lived key certified by Fulcio
/// (keyless).</summary>
public interface ISigner
{
    /// <summary>The public key (SubjectPublicKeyInfo PEM) verifiers check against.</summary>
    string PublicKeyPem { get; }

    /// <summary>The Fulcio certificate chain (leaf first, PEM) for keyless signatures; empty for a key.</summary>
    IReadOnlyList<string> CertificateChain { get; }

    /// <summary>ECDSA over SHA-256 of <paramref name="data"/>, ASN.1 DER encoded (what cosign and <c>openssl dgst
    /// -verify</c> expect).</summary>
    byte[] Sign(ReadOnlySpan<byte> data);

    /// <summary>Records a signature in a transparency log (keyless: Rekor) and returns cosign's bundle annotation; null
    /// for a key.</summary>
    Task<string?> LogAsync(byte[] data, byte[] signature, CancellationToken ct = default) =>
        Task.FromResult<string?>(null);
}
