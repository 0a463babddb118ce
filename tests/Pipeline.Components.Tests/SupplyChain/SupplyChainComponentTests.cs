using System.Security.Cryptography;
using System.Text.Json;
using Pipeline.Components.Containers;
using Pipeline.Components.Registry;
using Pipeline.Components.SupplyChain;
using Pipeline.Components.Tests.Release;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Hosts;
using Pipeline.Engine.Paths;
using Pipeline.Engine.Report;
using Pipeline.Engine.Results;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.SupplyChain;

/// <summary>
/// PushGar signs and attaches in the same push, against a real docker-registry standing in for GAR; Verify and the
/// shipping gate accept the result and refuse a wrong key with one line. The signing key is a canary: it must not
/// appear in the output, the summary, the artifacts or the registry's storage. GitHub Actions' context is set the way
/// the runner sets its variables (no GitHub API is involved).
/// </summary>
public sealed class SupplyChainComponentTests : IDisposable
{
    private readonly TempFolder _root = new("pipeline-supply-chain-component-");

    /// <summary>With BuildImage's typed result set as if it ran (tags, archive), the way the registry component tests
    /// do.</summary>
    private sealed class SupplyChainBuild : IBuildImage, IPushGar, ISupplyChain
    {
        public void Built(string root) =>
            this.SetResult(
                () => ((IBuildImage)this).BuiltImage,
                new BuiltImage(
                    "pipeline-sample",
                    "localhost/pipeline-sample:staging-0123456",
                    "sha256:1d",
                    null,
                    ["staging-0123456"],
                    new AbsolutePath(root) / "artifacts" / "images" / "pipeline-sample.tar",
                    "staging-0123456",
                    60_000,
                    2,
                    null
                )
            );
    }

    public void Dispose() => _root.Dispose();

    [RequiresToolsFact("docker-registry")]
    public async Task PushGar_signs_and_attaches_and_Verify_accepts_it_but_refuses_another_key_and_the_key_never_leaks()
    {
        await using var gar = await RegistryServer.StartAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = key.ExportPkcs8PrivateKeyPem();
        var keyBody = pem.Split('\n')[1]; // the canary: a line of the key's base64
        using var harness = await HarnessAsync(gar.Host);
        harness.Set(nameof(ISupplyChain.SigningKey), pem);
        var build = Build(harness);

        await harness.RunAsync(((IPushGar)build).PushGar);
        await harness.RunAsync(((ISupplyChain)build).Verify);

        var push = harness.Read(() => ((IPushGar)build).GarPush)!;
        var digest = push.Digest.ToString();
        Assert.Equal($"{gar.Host}/proj/images/pipeline-sample@{digest}", harness.Context.AllOutputs["verified-image"]);
        // The push's result: the image's size as the registry holds it, what it sent, what it attached; Verify's
        // result: what passed.
        using (var client = new Pipeline.Registry.Remote.RegistryClient(gar.Host))
        {
            var stored = await client
                .Repository("proj/images/pipeline-sample")
                .GetManifestAsync(digest, CancellationToken.None);
            Assert.Equal(stored.AsManifest().Blobs.Sum(b => b.Size), push.Size);
        }

        // two layers and the config
        Assert.Equal((3, 0, 0), (push.BlobsUploaded, push.BlobsMounted, push.BlobsPresent));
        Assert.True(push.BytesSent >= push.Size, $"{push.BytesSent} bytes sent for {push.Size}");
        Assert.NotNull(push.Attachments);
        Assert.All(
            new[] { push.Attachments.Signature, push.Attachments.Attestations, push.Attachments.Sbom },
            d => Assert.Matches("^sha256:[0-9a-f]{64}$", d)
        );
        var verified = Assert.Single(harness.Read(() => ((ISupplyChain)build).VerifiedImages)!);
        Assert.Equal($"{gar.Host}/proj/images/pipeline-sample@{digest}", verified.Image);
        Assert.Contains(
            verified.Checks,
            c =>
                c.StartsWith(
                    "provenance: https://github.com/octo-org/service@refs/heads/main",
                    StringComparison.Ordinal
                )
        );
        // As the run report shows them: the push's row and Verify's row, in one images section.
        var input = new ReportInput(new AbsolutePath(_root.Path), new Dictionary<string, double>());
        var row = Assert.Single(Assert.Single(push.ToReportSection(input).Tables).Rows).Cells;
        Assert.Matches(@"^\d+\.\d KiB$", row[4]);
        Assert.Matches(@"^3 pushed \(\d+\.\d KiB\), 0 mounted, 0 already there$", row[5]);
        Assert.StartsWith(
            $"attached: signature {push.Attachments.Signature[..19]}, provenance and SBOM statements sha256:",
            row[8],
            StringComparison.Ordinal
        );
        var verifiedSection = verified.ToReportSection(input);
        Assert.Equal("images", verifiedSection.Id);
        Assert.Equal(
            ["(the image)", verified.Image],
            Assert.Single(Assert.Single(verifiedSection.Tables).Rows).Cells.Take(2)
        );
        Assert.Contains("signed", harness.Sink.Text, StringComparison.Ordinal);
        Assert.Contains(
            "provenance: https://github.com/octo-org/service@refs/heads/main",
            harness.Sink.Text,
            StringComparison.Ordinal
        );
        using (
            var sbom = JsonDocument.Parse(
                File.ReadAllText(Path.Combine(_root.Path, "artifacts", "images", "pipeline-sample.staging.cdx.json"))
            )
        )
            Assert.Equal("CycloneDX", sbom.RootElement.GetProperty("bomFormat").GetString());

        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        harness.Set(nameof(ISupplyChain.VerifyKey), other.ExportSubjectPublicKeyInfoPem());
        var refused = await Assert.ThrowsAsync<BuildFailure>(() => harness.RunAsync(((ISupplyChain)build).Verify));
        Assert.StartsWith("Verify: ", refused.Message, StringComparison.Ordinal);
        Assert.Contains("does not verify with the allowed key", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refused.Message);

        Assert.DoesNotContain(keyBody, harness.Sink.Text, StringComparison.Ordinal);
        foreach (
            var file in Directory
                .EnumerateFiles(_root.Path, "*", SearchOption.AllDirectories)
                .Concat(Directory.EnumerateFiles(gar.StorageDirectory, "*", SearchOption.AllDirectories))
        )
            Assert.DoesNotContain(keyBody, File.ReadAllText(file), StringComparison.Ordinal);
    }

    [RequiresToolsFact("docker-registry")]
    public async Task PushGar_signs_keyless_through_Fulcio_and_Rekor_stand_ins_and_Verify_checks_the_identity()
    {
        // GitHub's OIDC endpoint, Fulcio and Rekor are local stand-ins following their documented shapes
        // (SigstoreStandIn).
        await using var sigstore = SigstoreStandIn.Start();
        await using var gar = await RegistryServer.StartAsync();
        using var harness = await HarnessAsync(gar.Host);
        harness.Set(nameof(ISupplyChain.SignKeyless), true);
        harness.Set(nameof(ISupplyChain.FulcioUrl), sigstore.BaseUrl);
        harness.Set(nameof(ISupplyChain.RekorUrl), sigstore.BaseUrl);
        harness.Set(nameof(IRegistryConfig.ActionsIdTokenRequestUrl), sigstore.OidcRequestUrl);
        harness.Set(nameof(IRegistryConfig.ActionsIdTokenRequestToken), SigstoreStandIn.RequestToken);
        harness.Set(nameof(ISupplyChain.SigstoreFulcioRoot), sigstore.RootPem);
        harness.Set(nameof(ISupplyChain.SigstoreRekorKey), sigstore.RekorPublicKeyPem);
        var build = Build(harness);

        await harness.RunAsync(((IPushGar)build).PushGar);
        await harness.RunAsync(((ISupplyChain)build).Verify); // default identity: this repository's workflows

        Assert.Contains($"keyless signing as {SigstoreStandIn.Identity}", harness.Sink.Text, StringComparison.Ordinal);
        Assert.Contains("keyless signature over", harness.Sink.Text, StringComparison.Ordinal);
        Assert.Equal(3, sigstore.Entries);
        Assert.DoesNotContain(SigstoreStandIn.RequestToken, harness.Sink.Text, StringComparison.Ordinal);

        harness.Set(
            nameof(ISupplyChain.VerifyIdentities),
            new[] { "https://github.com/someone/else/.github/workflows/*" }
        );
        var refused = await Assert.ThrowsAsync<BuildFailure>(() => harness.RunAsync(((ISupplyChain)build).Verify));
        Assert.Contains("not an allowed identity", refused.Message, StringComparison.Ordinal);
    }

    [RequiresToolsFact("docker-registry")]
    public async Task A_key_that_is_not_PEM_stops_the_push_before_anything_is_sent_and_is_not_quoted()
    {
        await using var gar = await RegistryServer.StartAsync();
        using var harness = await HarnessAsync(gar.Host);
        const string canary = "CANARY_not_a_key_3b1f";
        harness.Set(nameof(ISupplyChain.SigningKey), canary);

        var failure = await Assert.ThrowsAsync<BuildFailure>(() =>
            harness.RunAsync(((IPushGar)Build(harness)).PushGar)
        );

        Assert.Contains("SIGNING_KEY", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(canary, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(canary, harness.Sink.Text, StringComparison.Ordinal);
        using var client = new Pipeline.Registry.Remote.RegistryClient(gar.Host);
        Assert.Empty(await client.Repository("proj/images/pipeline-sample").ListTagsAsync());
    }

    [RequiresToolsFact("docker-registry")]
    public async Task A_push_carries_only_this_runs_attachments_a_rotated_key_ships_alone_an_unsigned_push_none()
    {
        // The same image pushed three times from one state folder (the per-user layout keeps earlier attachments):
        // key A, then key B to the same registry, then no key to a fresh registry.
        await using var gar = await RegistryServer.StartAsync();
        await using var fresh = await RegistryServer.StartAsync();
        using var keyA = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var keyB = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var harness = await HarnessAsync(gar.Host);
        var build = Build(harness);
        harness.Set(nameof(ISupplyChain.SigningKey), keyA.ExportPkcs8PrivateKeyPem());
        await harness.RunAsync(((IPushGar)build).PushGar);
        harness.Set(nameof(ISupplyChain.SigningKey), keyB.ExportPkcs8PrivateKeyPem());
        await harness.RunAsync(((IPushGar)build).PushGar);
        var again = harness.Read(() => ((IPushGar)build).GarPush)!; // the same image again: every blob already there
        Assert.Equal((0, 0, 3), (again.BlobsUploaded, again.BlobsMounted, again.BlobsPresent));

        // After the rotation only B's signature is there: A's public key no longer verifies the image.
        harness.Set(nameof(ISupplyChain.VerifyKey), keyB.ExportSubjectPublicKeyInfoPem());
        await harness.RunAsync(((ISupplyChain)build).Verify);
        harness.Set(nameof(ISupplyChain.VerifyKey), keyA.ExportSubjectPublicKeyInfoPem());
        var oldKey = await Assert.ThrowsAsync<BuildFailure>(() => harness.RunAsync(((ISupplyChain)build).Verify));
        Assert.Contains("does not verify with the allowed key", oldKey.Message, StringComparison.Ordinal);

        // No key: the warning says unsigned, and the registry indeed got no signature, attestation or SBOM.
        harness.Set(nameof(ISupplyChain.SigningKey), "");
        harness.Set(nameof(IRegistryConfig.GarHost), fresh.Host);
        await harness.RunAsync(((IPushGar)build).PushGar);
        Assert.Contains("pushed unsigned", harness.Sink.Text, StringComparison.Ordinal);
        Assert.Null(harness.Read(() => ((IPushGar)build).GarPush)!.Attachments); // the report's row says unsigned
        using var client = new Pipeline.Registry.Remote.RegistryClient(fresh.Host);
        var tags = await client.Repository("proj/images/pipeline-sample").ListTagsAsync();
        Assert.Equal(["staging-0123456"], tags);
    }

    private SupplyChainBuild Build(ReleaseHarness harness)
    {
        var build = new SupplyChainBuild();
        harness.Do(() => build.Built(_root.Path));
        return build;
    }

    private async Task<ReleaseHarness> HarnessAsync(string garHost)
    {
        var actions = new GitHubActionsContext(
            "push",
            "refs/heads/main",
            "main",
            "0123456789abcdef0123456789abcdef01234567",
            "octo-org/service",
            "https://github.com",
            "77",
            null,
            false,
            null,
            null
        );
        var harness = new ReleaseHarness(_root.Path, new BuildHost(HostKind.GitHubActions, false, actions, false));
        await RegistryTestImage.WriteDockerArchiveAsync(
            Path.Combine(_root.Path, "artifacts", "images", "pipeline-sample.tar"),
            2,
            30_000
        );
        harness.Set(nameof(IRegistryConfig.ImageName), "pipeline-sample");
        harness.Set(nameof(IRegistryConfig.RegistryRetries), 1);
        harness.Set(nameof(IRegistryConfig.GarHost), garHost);
        harness.Set(nameof(IRegistryConfig.GarProject), "proj");
        harness.Set(nameof(IRegistryConfig.GarRepository), "images");
        harness.Set(nameof(IRegistryConfig.RegistriesStaging), "gar");
        return harness;
    }
}
