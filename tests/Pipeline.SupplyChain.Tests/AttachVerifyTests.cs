using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Pipeline.Registry;
using Pipeline.Registry.Failover;
using Pipeline.Registry.Images;
using Pipeline.Registry.Referrers;
using Pipeline.Registry.Remote;
using Pipeline.SupplyChain.Signing;
using Pipeline.SupplyChain.Verification;

namespace Pipeline.SupplyChain.Tests;

/// <summary>
/// Signature, provenance and SBOM pushed to a real docker-registry (2.8: no referrers API, so the cosign tag schema),
/// read back over plain HTTP and checked by OpenSSL; Verify refuses a tampered payload, a wrong key, a missing
/// signature and provenance from another repository or ref, each with one line.
/// </summary>
public sealed class AttachVerifyTests
{
    [RequiresToolsFact("docker-registry", "openssl")]
    public async Task A_pushed_image_carries_its_signature_which_OpenSSL_verifies_from_the_registry_bytes()
    {
        using var scratch = new TempFolder();
        await using var registry = await RegistryServer.StartAsync();
        using var signer = EcdsaKeySigner.FromPem(TestOptions.NewKeyPem(), "test key");
        var (image, _) = await SignedImage.CreateAsync(scratch, signer, $"{registry.Host}/owner/app");
        using var client = new RegistryClient(registry.Host, options: TestOptions.FailFast);

        await PushAsync(scratch, image, registry.Host);

        // probed: 404, no referrers API
        Assert.Null(await ReferrersApi.ListAsync(client.Repository("owner/app"), image.Manifest.Digest));
        var digest = image.Manifest.Digest;
        using var http = new HttpClient { BaseAddress = new Uri($"http://{registry.Host}/v2/owner/app/") };
        var tags = JsonDocument
            .Parse(await http.GetStringAsync("tags/list"))
            .RootElement.GetProperty("tags")
            .EnumerateArray()
            .Select(t => t.GetString())
            .ToArray();
        Assert.Equal(
            ["latest", $"sha256-{digest.Hex}.att", $"sha256-{digest.Hex}.sbom", $"sha256-{digest.Hex}.sig"],
            tags.Order()
        );

        var manifest = await RawGetAsync(http, $"manifests/sha256-{digest.Hex}.sig", MediaTypes.OciManifest);
        var layer = JsonDocument.Parse(manifest).RootElement.GetProperty("layers")[0];
        Assert.Equal(ArtifactTypes.SimpleSigningLayer, layer.GetProperty("mediaType").GetString());
        Assert.Equal(
            digest.ToString(),
            JsonDocument.Parse(manifest).RootElement.GetProperty("subject").GetProperty("digest").GetString()
        );
        var payload = await http.GetByteArrayAsync($"blobs/{layer.GetProperty("digest").GetString()}");
        var signature = Convert.FromBase64String(
            layer.GetProperty("annotations").GetProperty(ArtifactTypes.SignatureAnnotation).GetString()!
        );
        Assert.Contains(digest.ToString(), Encoding.UTF8.GetString(payload), StringComparison.Ordinal);
        Assert.True(await OpenSsl.VerifiesAsync(scratch, signer.PublicKeyPem, payload, signature));

        // The provenance envelope: OpenSSL checks the signature over DSSE's PAE of the statement.
        var attestations = JsonDocument
            .Parse(await RawGetAsync(http, $"manifests/sha256-{digest.Hex}.att", MediaTypes.OciManifest))
            .RootElement.GetProperty("layers");
        var provenanceLayer = attestations
            .EnumerateArray()
            .Single(l =>
                l.GetProperty("annotations").GetProperty("predicateType").GetString()
                == "https://slsa.dev/provenance/v1"
            );
        var envelope = JsonDocument
            .Parse(await http.GetByteArrayAsync($"blobs/{provenanceLayer.GetProperty("digest").GetString()}"))
            .RootElement;
        var statement = Convert.FromBase64String(envelope.GetProperty("payload").GetString()!);
        var pae = Encoding
            .UTF8.GetBytes($"DSSEv1 28 application/vnd.in-toto+json {statement.Length} ")
            .Concat(statement)
            .ToArray();
        Assert.True(
            await OpenSsl.VerifiesAsync(
                scratch,
                signer.PublicKeyPem,
                pae,
                Convert.FromBase64String(envelope.GetProperty("signatures")[0].GetProperty("sig").GetString()!)
            )
        );
        var subject = JsonDocument
            .Parse(statement)
            .RootElement.GetProperty("subject")[0]
            .GetProperty("digest")
            .GetProperty("sha256")
            .GetString();
        Assert.Equal(digest.Hex, subject);

        var report = await new ImageVerifier().VerifyAsync(
            client.Repository("owner/app"),
            digest,
            SignedImage.Policy(signer)
        );
        Assert.True(report.Succeeded, report.Failure);
        Assert.Equal(3, report.Passed.Count);
    }

    [RequiresToolsFact("docker-registry")]
    public async Task Verify_refuses_a_tampered_payload_a_wrong_key_and_a_missing_signature_each_with_one_line()
    {
        using var scratch = new TempFolder();
        await using var registry = await RegistryServer.StartAsync();
        using var signer = EcdsaKeySigner.FromPem(TestOptions.NewKeyPem(), "test key");
        var (image, attached) = await SignedImage.CreateAsync(scratch, signer, $"{registry.Host}/owner/app");
        await PushAsync(scratch, image, registry.Host);
        using var client = new RegistryClient(registry.Host, options: TestOptions.FailFast);
        var repository = client.Repository("owner/app");
        var digest = image.Manifest.Digest;
        var verifier = new ImageVerifier();

        // Wrong key: a signature is there, but not from the allowed key.
        using var other = EcdsaKeySigner.FromPem(TestOptions.NewKeyPem(), "other key");
        var wrongKey = await verifier.VerifyAsync(repository, digest, SignedImage.Policy(other));
        AssertOneLine(wrongKey, "does not verify with the allowed key");

        // Tampered payload: the same signature annotation over a payload that says something else.
        var original = (await repository.GetManifestAsync(attached.Signature.ToString(), default)).AsManifest();
        var payload = Encoding.UTF8.GetBytes(
            Encoding
                .UTF8.GetString(await ReadAsync(repository, original.Layers[0]))
                .Replace("owner/app", "evil/app", StringComparison.Ordinal)
        );
        var tamperedLayer = original.Layers[0] with { Digest = Digest.Sha256(payload), Size = payload.Length };
        var forged = AttachmentManifest.Create(AttachmentTag.Signature, image.Manifest.Descriptor, [tamperedLayer]);
        await WriteAsync(repository, tamperedLayer, payload);
        await WriteAsync(repository, forged.Manifest.AsManifest().Config, forged.Config);
        // replaces the genuine one under the tag
        await repository.PutManifestAsync(forged.Manifest, AttachmentTag.For(digest, AttachmentTag.Signature), default);
        var tampered = await verifier.VerifyAsync(repository, digest, SignedImage.Policy(signer));
        AssertOneLine(tampered, "does not verify");

        // Missing: the signature manifest deleted.
        await repository.DeleteManifestAsync(forged.Manifest.Digest);
        var missing = await verifier.VerifyAsync(repository, digest, SignedImage.Policy(signer));
        AssertOneLine(missing, "no signature");
    }

    [RequiresToolsFact("docker-registry")]
    public async Task Verify_refuses_provenance_from_another_repository_or_a_branch_that_is_not_allowed()
    {
        using var scratch = new TempFolder();
        await using var registry = await RegistryServer.StartAsync();
        using var signer = EcdsaKeySigner.FromPem(TestOptions.NewKeyPem(), "test key");
        var (image, _) = await SignedImage.CreateAsync(
            scratch,
            signer,
            $"{registry.Host}/owner/app",
            gitRef: "refs/heads/feature-x"
        );
        await PushAsync(scratch, image, registry.Host);
        using var client = new RegistryClient(registry.Host, options: TestOptions.FailFast);
        var verifier = new ImageVerifier();

        var branch = await verifier.VerifyAsync(
            client.Repository("owner/app"),
            image.Manifest.Digest,
            SignedImage.Policy(signer)
        );
        var repository = await verifier.VerifyAsync(
            client.Repository("owner/app"),
            image.Manifest.Digest,
            SignedImage.Policy(signer) with
            {
                Repository = "https://github.com/someone/else",
                AllowedRefs = [],
            }
        );

        AssertOneLine(branch, "built from ref refs/heads/feature-x, allowed: main, v*");
        AssertOneLine(
            repository,
            "built from https://github.com/pipeline-build/sample, expected https://github.com/someone/else"
        );
    }

    internal static async Task PushAsync(
        TempFolder scratch,
        Pipeline.Registry.Archives.ImportedImage image,
        string host,
        string repository = "owner/app"
    )
    {
        var ledger = new FallbackLedger(scratch["ledger"], scratch["artifacts"]);
        var destination = RegistryDestination.ForRegistry("primary", Reference.Parse($"{host}/{repository}"));
        await new FailoverPusher(ledger, TestOptions.FailFast).PushAsync(
            "staging",
            image.Layout,
            image.Manifest.Digest.ToString(),
            [destination],
            ["latest"]
        );
    }

    private static void AssertOneLine(VerificationReport report, string expected)
    {
        Assert.False(report.Succeeded);
        Assert.Contains(expected, report.Failure, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', report.Failure!);
    }

    private static Task WriteAsync(RegistryRepository repository, Descriptor blob, byte[] content) =>
        repository.WriteBlobAsync(
            blob,
            _ => Task.FromResult<Stream>(new MemoryStream(content)),
            BlobWriteHints.None,
            default
        );

    private static async Task<byte[]> ReadAsync(RegistryRepository repository, Descriptor blob)
    {
        await using var stream = await repository.OpenBlobAsync(blob, default);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private static async Task<byte[]> RawGetAsync(HttpClient http, string path, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }
}
