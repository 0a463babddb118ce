using Pipeline.Registry;
using Pipeline.Registry.Copying;
using Pipeline.Registry.Failover;
using Pipeline.Registry.Referrers;
using Pipeline.Registry.Remote;
using Pipeline.SupplyChain.Signing;
using Pipeline.SupplyChain.Verification;

namespace Pipeline.SupplyChain.Tests;

/// <summary>
/// Signatures, attestations and SBOM are part of the image: Promote to a second registry, a failover push to the local
/// registry or an OCI archive, and Reconcile afterwards all move them with it, and Verify passes wherever the image
/// lands. skopeo, an independent client, reads the carried signature tag.
/// </summary>
public sealed class CarryTests
{
    private static readonly RegistryClientOptions Options = TestOptions.FailFast;

    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task Promotion_to_a_second_registry_carries_signature_provenance_and_SBOM()
    {
        using var scratch = new TempFolder();
        await using var ghcr = await RegistryServer.StartAsync();
        await using var gar = await RegistryServer.StartAsync();
        using var signer = EcdsaKeySigner.FromPem(TestOptions.NewKeyPem(), "test key");
        var (image, _) = await SignedImage.CreateAsync(scratch, signer, $"{ghcr.Host}/owner/app");
        await AttachVerifyTests.PushAsync(scratch, image, ghcr.Host);
        using var from = new RegistryClient(ghcr.Host, options: Options);
        using var to = new RegistryClient(gar.Host, options: Options);

        var copy = await new ImageCopier().CopyAsync(
            from.Repository("owner/app"),
            "latest",
            to.Repository("proj/images/app"),
            ["staging-abc1234"]
        );
        var carried = await new AttachedArtifacts().CarryAsync(
            from.Repository("owner/app"),
            to.Repository("proj/images/app"),
            copy.Digest
        );

        Assert.Equal(3, carried);
        await AssertVerifiesAsync(to.Repository("proj/images/app"), copy.Digest, signer);
        Assert.Equal(
            (
                await from.Repository("owner/app").ResolveAsync(AttachmentTag.For(copy.Digest, "sig"), default)
            ).ToString(),
            await Skopeo.RawDigestAsync($"docker://{gar.Host}/proj/images/app:{AttachmentTag.For(copy.Digest, "sig")}")
        );

        // Promoting again (a release tag within the same registry) adds nothing twice.
        Assert.Equal(
            3,
            await new AttachedArtifacts().CarryAsync(
                to.Repository("proj/images/app"),
                to.Repository("proj/images/app"),
                copy.Digest
            )
        );
        Assert.Equal(4, (await to.Repository("proj/images/app").ListTagsAsync()).Count);
    }

    [RequiresToolsFact("docker-registry")]
    public async Task A_push_stopped_between_image_and_attachments_leaves_no_tag_and_the_next_push_completes_it()
    {
        using var scratch = new TempFolder();
        await using var gar = await RegistryServer.StartAsync();
        using var signer = EcdsaKeySigner.FromPem(TestOptions.NewKeyPem(), "test key");
        var (image, _) = await SignedImage.CreateAsync(scratch, signer, $"{gar.Host}/proj/images/app");
        using var client = new RegistryClient(gar.Host, options: Options);
        var repository = client.Repository("proj/images/app");

        // The moment a kill would land: the image is stored by digest, its attachments not yet.
        await Assert.ThrowsAsync<OperationCanceledException>(() =>
            new ImageCopier().CopyAsync(
                image.Layout,
                image.Manifest.Digest.ToString(),
                repository,
                ["v26.12.06.1"],
                beforeTags: (_, _) => throw new OperationCanceledException()
            )
        );
        Assert.Empty(await repository.ListTagsAsync());

        var destination = RegistryDestination.ForRegistry("gar", Reference.Parse($"{gar.Host}/proj/images/app"));
        await new FailoverPusher(new FallbackLedger(scratch["ledger"], scratch["artifacts"]), Options).PushAsync(
            "release",
            image.Layout,
            image.Manifest.Digest.ToString(),
            [destination],
            ["v26.12.06.1"]
        );

        Assert.Equal(image.Manifest.Digest, await repository.ResolveAsync("v26.12.06.1", default));
        await AssertVerifiesAsync(repository, image.Manifest.Digest, signer);
    }

    [RequiresToolsFact("docker-registry")]
    public async Task A_failover_push_takes_attachments_to_the_local_registry_and_Reconcile_delivers_them()
    {
        using var scratch = new TempFolder();
        await using var primary = await RegistryServer.StartAsync();
        await using var local = await RegistryServer.StartAsync();
        using var signer = EcdsaKeySigner.FromPem(TestOptions.NewKeyPem(), "test key");
        var (image, _) = await SignedImage.CreateAsync(scratch, signer, $"{primary.Host}/proj/images/app");
        var destinations = new[]
        {
            RegistryDestination.ForRegistry("gar", Reference.Parse($"{primary.Host}/proj/images/app")),
            RegistryDestination.ForRegistry("local", Reference.Parse($"{local.Host}/proj/images/app")),
        };
        var ledger = new FallbackLedger(scratch["ledger"], scratch["artifacts"]);
        await primary.StopAsync();

        var outcome = await new FailoverPusher(ledger, Options).PushAsync(
            "staging",
            image.Layout,
            image.Manifest.Digest.ToString(),
            destinations,
            ["staging-abc1234"]
        );

        Assert.Equal("local", outcome.Destination.Name);
        using var localClient = new RegistryClient(local.Host, options: Options);
        await AssertVerifiesAsync(localClient.Repository("proj/images/app"), image.Manifest.Digest, signer);

        await primary.StartAgainAsync();
        var byName = destinations.ToDictionary(d => d.Name);
        var results = await new Reconciler(ledger, n => byName.GetValueOrDefault(n), Options).ReconcileAsync(
            scratch["tmp"]
        );

        Assert.Equal(ReconcileStatus.Delivered, Assert.Single(results).Status);
        using var primaryClient = new RegistryClient(primary.Host, options: Options);
        await AssertVerifiesAsync(primaryClient.Repository("proj/images/app"), image.Manifest.Digest, signer);
    }

    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task With_every_registry_down_the_OCI_archive_holds_the_attachments_and_Reconcile_pushes_them()
    {
        using var scratch = new TempFolder();
        await using var primary = await RegistryServer.StartAsync();
        using var signer = EcdsaKeySigner.FromPem(TestOptions.NewKeyPem(), "test key");
        var (image, _) = await SignedImage.CreateAsync(scratch, signer, $"{primary.Host}/proj/images/app");
        var destinations = new[]
        {
            RegistryDestination.ForRegistry("gar", Reference.Parse($"{primary.Host}/proj/images/app")),
            RegistryDestination.ForArchive(scratch["archives"]),
        };
        var ledger = new FallbackLedger(scratch["ledger"], scratch["artifacts"]);
        await primary.StopAsync();

        var outcome = await new FailoverPusher(ledger, Options).PushAsync(
            "staging",
            image.Layout,
            image.Manifest.Digest.ToString(),
            destinations,
            ["staging-abc1234"]
        );

        var archive = outcome.Record!.HeldAt;
        var sigTag = AttachmentTag.For(image.Manifest.Digest, "sig");
        Assert.NotEmpty(await Skopeo.RunAsync(["inspect", "--raw", $"oci-archive:{archive}:{sigTag}"]));
        await primary.StartAgainAsync();
        var byName = destinations.ToDictionary(d => d.Name);
        Assert.Equal(
            ReconcileStatus.Delivered,
            Assert
                .Single(
                    await new Reconciler(ledger, n => byName.GetValueOrDefault(n), Options).ReconcileAsync(
                        scratch["tmp"]
                    )
                )
                .Status
        );
        using var client = new RegistryClient(primary.Host, options: Options);
        await AssertVerifiesAsync(client.Repository("proj/images/app"), image.Manifest.Digest, signer);
    }

    private static async Task AssertVerifiesAsync(RegistryRepository repository, Digest digest, ISigner signer)
    {
        var report = await new ImageVerifier().VerifyAsync(repository, digest, SignedImage.Policy(signer));
        Assert.True(report.Succeeded, report.Failure);
    }
}
