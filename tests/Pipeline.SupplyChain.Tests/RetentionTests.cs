using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Registry;
using Pipeline.Registry.Referrers;
using Pipeline.Registry.Remote;
using Pipeline.Retention;
using Pipeline.SupplyChain.Signing;

namespace Pipeline.SupplyChain.Tests;

/// <summary>Retention on a real docker-registry treats signatures, attestations and SBOM as part of their image: kept
/// while it is kept, deleted with it.</summary>
public sealed class RetentionTests
{
    [RequiresToolsFact("docker-registry")]
    public async Task Deleting_an_image_deletes_its_attachments_and_a_kept_image_keeps_them()
    {
        using var scratch = new TempFolder();
        await using var registry = await RegistryServer.StartAsync();
        using var signer = EcdsaKeySigner.FromPem(TestOptions.NewKeyPem(), "test key");
        var (closed, _) = await SignedImage.CreateAsync(scratch, signer, $"{registry.Host}/owner/app", seed: 1);
        var (open, _) = await SignedImage.CreateAsync(scratch, signer, $"{registry.Host}/owner/app", seed: 2);
        await Push(scratch, closed, registry.Host, "pr-1");
        await Push(scratch, open, registry.Host, "pr-2");
        using var client = new RegistryClient(registry.Host, options: TestOptions.FailFast);
        var repository = client.Repository("owner/app");
        var policy = new RetentionPolicy([new DeleteRule("closed-pr") { TagPrefixes = ["pr-1"] }], []);

        var report = await new RetentionRunner(NullLogger.Instance).RunAsync(
            new OciRepositoryTarget(new RegistryManifestStore(repository), NullLogger.Instance),
            policy,
            apply: true
        );

        Assert.True(report.Succeeded);
        var deleted = report.Deleted.Select(d => d.Version.Digest).ToList();
        Assert.Equal(4, deleted.Count); // the image and its .sig, .att, .sbom
        // attachments first: never a kept signature without its image
        Assert.Equal(closed.Manifest.Digest.ToString(), deleted[^1]);
        var tags = await repository.ListTagsAsync();
        Assert.Equal(
            ["pr-2", .. AttachmentTag.Kinds.Select(k => AttachmentTag.For(open.Manifest.Digest, k)).Order()],
            tags.Order()
        );
        Assert.All(
            report.Plan.Kept.Where(k => k.Version.IsAttachment),
            k => Assert.StartsWith("refers to kept pr-2", k.Reason, StringComparison.Ordinal)
        );
    }

    private static async Task Push(
        TempFolder scratch,
        Pipeline.Registry.Archives.ImportedImage image,
        string host,
        string tag
    )
    {
        var ledger = new Pipeline.Registry.Failover.FallbackLedger(scratch["ledger"], scratch["artifacts"]);
        var destination = Pipeline.Registry.Failover.RegistryDestination.ForRegistry(
            "primary",
            Reference.Parse($"{host}/owner/app")
        );
        await new Pipeline.Registry.Failover.FailoverPusher(ledger, TestOptions.FailFast).PushAsync(
            "pr",
            image.Layout,
            image.Manifest.Digest.ToString(),
            [destination],
            [tag]
        );
    }
}
