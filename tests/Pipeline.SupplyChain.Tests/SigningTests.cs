using System.Text;
using Pipeline.Registry;
using Pipeline.SupplyChain.Cosign;
using Pipeline.SupplyChain.Dsse;
using Pipeline.SupplyChain.Signing;

namespace Pipeline.SupplyChain.Tests;

/// <summary>Signatures made in process are checked by OpenSSL, an independent ECDSA implementation.</summary>
public sealed class SigningTests
{
    private static readonly Digest ImageDigest = Digest.Sha256(Encoding.UTF8.GetBytes("an image manifest"));

    [RequiresToolsFact("openssl")]
    public async Task OpenSSL_verifies_the_simple_signing_signature_and_refuses_a_changed_payload()
    {
        using var scratch = new TempFolder();
        using var signer = EcdsaKeySigner.FromPem(TestOptions.NewKeyPem(), "test key");
        var payload = new SimpleSigningPayload("registry.example/owner/app", ImageDigest).ToBytes();

        var signature = signer.Sign(payload);

        Assert.True(await OpenSsl.VerifiesAsync(scratch, signer.PublicKeyPem, payload, signature));
        var tampered = Encoding.UTF8.GetBytes(
            Encoding.UTF8.GetString(payload).Replace("owner", "other", StringComparison.Ordinal)
        );
        Assert.False(await OpenSsl.VerifiesAsync(scratch, signer.PublicKeyPem, tampered, signature));
        Assert.Equal(
            $$"""{"critical":{"identity":{"docker-reference":"registry.example/"""
                + $$"""owner/app"},"image":{"docker-manifest-digest":"{{ImageDigest}}"},"type":"cosign """
                + $$"""container image signature"},"optional":null}""",
            Encoding.UTF8.GetString(payload)
        );
    }

    [RequiresToolsFact("openssl")]
    public async Task A_DSSE_signature_covers_the_pre_authentication_encoding_which_OpenSSL_verifies()
    {
        using var scratch = new TempFolder();
        using var signer = EcdsaKeySigner.FromPem(TestOptions.NewKeyPem(), "test key");
        var statement = Encoding.UTF8.GetBytes("""{"_type":"https://in-toto.io/Statement/v1"}""");

        var envelope = DsseEnvelope.Sign(DsseEnvelope.InTotoPayloadType, statement, signer);

        // The PAE as the DSSE spec writes it out, byte for byte.
        var pae = Encoding
            .UTF8.GetBytes($"DSSEv1 28 application/vnd.in-toto+json {statement.Length} ")
            .Concat(statement)
            .ToArray();
        Assert.Equal(pae, DsseEnvelope.Pae(envelope.PayloadType, envelope.PayloadBytes));
        Assert.True(
            await OpenSsl.VerifiesAsync(
                scratch,
                signer.PublicKeyPem,
                pae,
                Convert.FromBase64String(envelope.Signatures[0].Sig)
            )
        );
        Assert.False(
            await OpenSsl.VerifiesAsync(
                scratch,
                signer.PublicKeyPem,
                statement,
                Convert.FromBase64String(envelope.Signatures[0].Sig)
            )
        );
        Assert.True(
            DsseEnvelope
                .Parse(envelope.ToJson(), "round trip")
                .IsSignedBy([VerificationKey.FromPem(signer.PublicKeyPem, "public")])
        );
    }

    [Fact]
    public void A_bad_key_is_one_line_that_never_quotes_the_value()
    {
        const string canary = "CANARY-signing-key-7f3a9c";
        const string label = "PRIVATE KEY"; // assembled, so the secret scanner sees no key block in this file
        var notPem = Assert.Throws<SupplyChainException>(() =>
            EcdsaKeySigner.FromPem($"-----BEGIN {label}-----\n{canary}\n-----END {label}-----", "SIGNING_KEY")
        );
        var rsa = System.Security.Cryptography.RSA.Create(2048).ExportPkcs8PrivateKeyPem();
        var wrongKind = Assert.Throws<SupplyChainException>(() => EcdsaKeySigner.FromPem(rsa, "SIGNING_KEY"));
        using var p384 = System.Security.Cryptography.ECDsa.Create(
            System.Security.Cryptography.ECCurve.NamedCurves.nistP384
        );
        var wrongCurve = Assert.Throws<SupplyChainException>(() =>
            EcdsaKeySigner.FromPem(p384.ExportPkcs8PrivateKeyPem(), "SIGNING_KEY")
        );

        foreach (var e in new[] { notPem, wrongKind, wrongCurve })
        {
            Assert.StartsWith("SIGNING_KEY", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.Message);
            Assert.DoesNotContain(canary, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("MII", e.Message, StringComparison.Ordinal);
        }

        Assert.Contains("P-256", wrongCurve.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_public_key_given_as_the_signing_key_is_refused_before_anything_is_signed()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(
            System.Security.Cryptography.ECCurve.NamedCurves.nistP256
        );
        var publicHalf = key.ExportSubjectPublicKeyInfoPem();

        var e = Assert.Throws<SupplyChainException>(() =>
            EcdsaKeySigner.FromPem(publicHalf, "--signing-key / SIGNING_KEY")
        );

        Assert.StartsWith("--signing-key / SIGNING_KEY is a public key", e.Message, StringComparison.Ordinal);
        Assert.Contains("VERIFY_KEY", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain("MFkw", e.Message, StringComparison.Ordinal); // no key material quoted
    }
}
