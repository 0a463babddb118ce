using System.Text;
using Pipeline.Registry.Archives;
using Pipeline.Registry.Failover;
using Pipeline.Registry.Images;
using Pipeline.Registry.Referrers;
using Pipeline.Registry.Remote;

namespace Pipeline.Registry.Tests;

/// <summary>
/// A push of an image with attachments (signature, attestations, SBOM) sends the attachments' blobs beside the image's,
/// so a signed push waits for one attachment's round trips after the image rather than for all of them in turn; but
/// their manifests, and so their tags, still come only after the image is stored, and a push whose image does not
/// land leaves no attachment that names it. Seen through <see cref="RegistryFaultProxy"/>'s request log in front of a
/// real docker-registry (which has no referrers API, so attachments live under cosign's tags).
/// </summary>
public sealed class AttachmentsBesideImageTests
{
    [RequiresToolsFact("docker-registry")]
    public async Task Attachment_blobs_go_beside_the_image_and_their_manifests_only_after_it_is_stored()
    {
        using var temp = new TempFolder();
        var registry = await SharedRegistry.OpenAsync();
        // Every request waits 100 ms at the proxy: the image's manifest can go no sooner than its blobs' three round
        // trips, which leaves the attachments' blobs time to show they were not waiting for it.
        await using var proxy = await RegistryFaultProxy.StartAsync(
            registry.Host,
            FaultPlan.None with
            {
                SlowRate = 1,
                SlowDelay = TimeSpan.FromMilliseconds(100),
            }
        );
        var (image, attachmentBlobs) = await SignedLookingImageAsync(temp);

        var outcome = await PushAsync(temp, image, proxy, registry.Repository("proj/images/app"), TestOptions.Fast);

        Assert.False(outcome.FellBack);
        var log = proxy.Log.ToList();
        var imageStored = log.FindIndex(e =>
            e.Method == "PUT" && e.Target.Contains($"/manifests/{image.Manifest.Digest}", StringComparison.Ordinal)
        );
        Assert.True(imageStored >= 0, "the image's manifest was never put by digest");
        var firstAttachmentBlob = log.FindIndex(e =>
            attachmentBlobs.Any(b => e.Target.Contains(b.ToString(), StringComparison.Ordinal))
        );
        Assert.InRange(firstAttachmentBlob, 0, imageStored - 1);
        var attachmentManifests = log.Select((e, i) => (e, i))
            .Where(x => x.e.Method == "PUT" && x.e.Target.Contains("/manifests/sha256-", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(3, attachmentManifests.Count);
        Assert.All(attachmentManifests, x => Assert.True(x.i > imageStored, $"{x.e.Target} before the image"));
        using var client = new RegistryClient(registry.Host, options: TestOptions.Fast);
        var tags = (await client.Repository(registry.Repository("proj/images/app")).ListTagsAsync()).Order(
            StringComparer.Ordinal
        );
        var expected = AttachmentTag
            .Kinds.Select(k => AttachmentTag.For(image.Manifest.Digest, k))
            .Append("v1")
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, tags);
    }

    [RequiresToolsFact("docker-registry")]
    public async Task A_push_whose_image_never_lands_leaves_no_attachment_that_names_it()
    {
        using var temp = new TempFolder();
        var registry = await SharedRegistry.OpenAsync();
        await using var proxy = await RegistryFaultProxy.StartAsync(registry.Host, FaultPlan.None);
        var (image, attachmentBlobs) = await SignedLookingImageAsync(temp);
        // The registry takes every blob but never the image's manifest.
        proxy.Rule = (method, target) =>
            method == "PUT" && target.Contains($"/manifests/{image.Manifest.Digest}", StringComparison.Ordinal)
                ? ProxyFault.ServerError
                : null;

        await Assert.ThrowsAsync<RegistryUnavailableException>(() =>
            PushAsync(temp, image, proxy, registry.Repository("proj/images/app"), TestOptions.FailFast)
        );

        using var client = new RegistryClient(registry.Host, options: TestOptions.Fast);
        var repository = client.Repository(registry.Repository("proj/images/app"));
        Assert.Empty(await repository.ListTagsAsync());
        Assert.DoesNotContain(proxy.Log, e => e.Method == "PUT" && e.Target.Contains("/manifests/sha256-"));
        Assert.Null(await repository.ResolveAsync(image.Manifest.Digest.ToString(), default));
        // What did go ahead is content only: blobs, which no manifest names.
        Assert.Contains(proxy.Log, e => attachmentBlobs.Any(b => e.Target.Contains(b.ToString())));
    }

    /// <summary>The push targets' path: the failover pusher, to one registry destination behind the proxy.</summary>
    private static Task<PushOutcome> PushAsync(
        TempFolder temp,
        ImportedImage image,
        RegistryFaultProxy proxy,
        string repository,
        RegistryClientOptions options
    ) =>
        new FailoverPusher(new FallbackLedger(temp["ledger"], temp["artifacts"]), options).PushAsync(
            "staging",
            image.Layout,
            image.Manifest.Digest.ToString(),
            [RegistryDestination.ForRegistry("gar", Reference.Parse($"{proxy.Host}/{repository}"))],
            ["v1"]
        );

    /// <summary>A three-layer image in a local layout with a signature, an attestation and an SBOM attached the way the
    /// push targets attach them (one layer each); returns it with the digests of the attachments' layers.</summary>
    private static async Task<(ImportedImage Image, List<Digest> AttachmentBlobs)> SignedLookingImageAsync(
        TempFolder temp
    )
    {
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["a.tar"], 3, 200_000),
            temp["layout"]
        );
        var blobs = new List<Digest>();
        foreach (var kind in AttachmentTag.Kinds)
        {
            var content = Encoding.UTF8.GetBytes($$"""{"kind":"{{kind}}","subject":"{{image.Manifest.Digest}}"}""");
            var layer = new Descriptor
            {
                MediaType = "application/vnd.dev.pipeline.test+json",
                Digest = Digest.Sha256(content),
                Size = content.Length,
            };
            blobs.Add(layer.Digest);
            await new AttachedArtifacts().AttachAsync(
                image.Layout,
                image.Manifest.Descriptor,
                kind,
                [(layer, content)]
            );
        }

        return (image, blobs);
    }
}
