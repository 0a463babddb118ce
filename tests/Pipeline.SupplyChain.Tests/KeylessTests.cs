using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Pipeline.Registry;
using Pipeline.Registry.Images;
using Pipeline.Registry.Referrers;
using Pipeline.Registry.Remote;
using Pipeline.SupplyChain.Signing;
using Pipeline.SupplyChain.Sigstore;
using Pipeline.SupplyChain.Verification;

namespace Pipeline.SupplyChain.Tests;

/// <summary>
/// Keyless signing, cosign's flow in process: the job's OIDC token → a Fulcio certificate for a fresh key → every
/// signature logged in Rekor. GitHub's OIDC endpoint, Fulcio and Rekor are local stand-ins following their documented
/// shapes (<see cref="SigstoreStandIn"/>); the registry is a real docker-registry, and OpenSSL independently checks the
/// certificate chain and the signature with the certified key.
/// </summary>
public sealed class KeylessTests
{
    [RequiresToolsFact("docker-registry", "openssl")]
    public async Task A_keyless_signature_carries_a_Fulcio_certificate_and_a_Rekor_bundle_Verify_and_OpenSSL_accept()
    {
        using var scratch = new TempFolder();
        await using var sigstore = SigstoreStandIn.Start();
        var registry = await SharedRegistry.OpenAsync();
        using var signer = await SignerAsync(sigstore);
        var (image, attached) = await SignedImage.CreateAsync(scratch, signer, registry.Reference("owner/app"));
        await AttachVerifyTests.PushAsync(scratch, image, registry.Host, registry.Repository("owner/app"));
        using var client = new RegistryClient(registry.Host, options: TestOptions.FailFast);
        var repository = client.Repository(registry.Repository("owner/app"));

        var report = await new ImageVerifier().VerifyAsync(repository, image.Manifest.Digest, Policy(sigstore));

        Assert.True(report.Succeeded, report.Failure);
        Assert.Equal(SigstoreStandIn.Identity, signer.Identity);
        // one certificate; the image signature and both statements logged
        Assert.Equal((1, 3), (sigstore.Certificates, sigstore.Entries));
        var layer = (await repository.GetManifestAsync(attached.Signature.ToString(), default)).AsManifest().Layers[0];
        var payload = await ReadAsync(repository, layer);
        await File.WriteAllTextAsync(scratch["leaf.pem"], layer.Annotations![ArtifactTypes.CertificateAnnotation]);
        await File.WriteAllTextAsync(scratch["root.pem"], sigstore.RootPem);
        Assert.Contains(
            "leaf.pem: OK",
            await OpenSslAsync("verify", "-CAfile", scratch["root.pem"], scratch["leaf.pem"]),
            StringComparison.Ordinal
        );
        var publicKey = await OpenSslAsync("x509", "-in", scratch["leaf.pem"], "-pubkey", "-noout");
        Assert.True(
            await OpenSsl.VerifiesAsync(
                scratch,
                publicKey,
                payload,
                Convert.FromBase64String(layer.Annotations[ArtifactTypes.SignatureAnnotation])
            )
        );
        Assert.DoesNotContain(
            SigstoreStandIn.RequestToken,
            string.Join("", layer.Annotations.Values),
            StringComparison.Ordinal
        );
    }

    [RequiresToolsFact("docker-registry")]
    public async Task Verify_refuses_another_identity_an_untrusted_root_and_a_tampered_payload()
    {
        using var scratch = new TempFolder();
        await using var sigstore = SigstoreStandIn.Start();
        await using var other = SigstoreStandIn.Start();
        var registry = await SharedRegistry.OpenAsync();
        using var signer = await SignerAsync(sigstore);
        var (image, attached) = await SignedImage.CreateAsync(scratch, signer, registry.Reference("owner/app"));
        await AttachVerifyTests.PushAsync(scratch, image, registry.Host, registry.Repository("owner/app"));
        using var client = new RegistryClient(registry.Host, options: TestOptions.FailFast);
        var repository = client.Repository(registry.Repository("owner/app"));
        var verifier = new ImageVerifier();

        var wrongIdentity = await verifier.VerifyAsync(
            repository,
            image.Manifest.Digest,
            Policy(sigstore, "https://github.com/octo-org/service/.github/workflows/release.yml@refs/heads/prod")
        );
        var untrusted = await verifier.VerifyAsync(repository, image.Manifest.Digest, Policy(other));

        Assert.Contains($"signed by {SigstoreStandIn.Identity}", wrongIdentity.Failure, StringComparison.Ordinal);
        Assert.Contains("not signed by a trusted Rekor key", untrusted.Failure, StringComparison.Ordinal);

        // The same certificate and bundle on a payload that names another repository.
        var layer = (await repository.GetManifestAsync(attached.Signature.ToString(), default)).AsManifest().Layers[0];
        var payload = Encoding.UTF8.GetBytes(
            Encoding
                .UTF8.GetString(await ReadAsync(repository, layer))
                .Replace("owner/app", "evil/app", StringComparison.Ordinal)
        );
        var forged = AttachmentManifest.Create(
            AttachmentTag.Signature,
            image.Manifest.Descriptor,
            [layer with { Digest = Digest.Sha256(payload), Size = payload.Length }]
        );
        await repository.WriteBlobAsync(
            forged.Manifest.AsManifest().Layers[0],
            _ => Task.FromResult<Stream>(new MemoryStream(payload)),
            BlobWriteHints.None,
            default
        );
        await repository.WriteBlobAsync(
            forged.Manifest.AsManifest().Config,
            _ => Task.FromResult<Stream>(new MemoryStream(forged.Config)),
            BlobWriteHints.None,
            default
        );
        await repository.PutManifestAsync(
            forged.Manifest,
            AttachmentTag.For(image.Manifest.Digest, AttachmentTag.Signature),
            default
        );
        var tampered = await verifier.VerifyAsync(repository, image.Manifest.Digest, Policy(sigstore));
        Assert.Contains("the Rekor entry logs another artifact", tampered.Failure, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', tampered.Failure!);
    }

    private static async Task<KeylessSigner> SignerAsync(SigstoreStandIn sigstore)
    {
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var baseUri = new Uri(sigstore.BaseUrl);
        return await KeylessSigner.CreateAsync(
            http,
            sigstore.OidcRequestUrl,
            SigstoreStandIn.RequestToken,
            new FulcioClient(http, baseUri),
            new RekorClient(http, baseUri)
        );
    }

    private static VerificationPolicy Policy(SigstoreStandIn sigstore, string identity = SigstoreStandIn.Identity) =>
        new()
        {
            Keys = [],
            Keyless = new KeylessPolicy
            {
                Identities = [identity],
                FulcioRoots = [X509Certificate2.CreateFromPem(sigstore.RootPem)],
                RekorKeys = [VerificationKey.FromPem(sigstore.RekorPublicKeyPem, "Rekor key")],
            },
            Repository = SignedImage.Repository,
            AllowedRefs = ["main"],
        };

    private static async Task<byte[]> ReadAsync(RegistryRepository repository, Descriptor blob)
    {
        await using var stream = await repository.OpenBlobAsync(blob, default);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private static async Task<string> OpenSslAsync(params string[] args)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }
}
