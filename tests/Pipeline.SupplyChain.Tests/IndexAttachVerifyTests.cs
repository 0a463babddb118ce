using Pipeline.Registry;
using Pipeline.Registry.Archives;
using Pipeline.Registry.Copying;
using Pipeline.Registry.Images;
using Pipeline.Registry.Referrers;
using Pipeline.Registry.Remote;
using Pipeline.SupplyChain.Attaching;
using Pipeline.SupplyChain.Sbom;
using Pipeline.SupplyChain.Signing;
using Pipeline.SupplyChain.Verification;

namespace Pipeline.SupplyChain.Tests;

/// <summary>
/// A multi-platform image's supply chain against a real docker-registry: the signature and provenance name the index,
/// each platform image carries its own SBOM; a copy (what Promote, failover and Reconcile do) carries every child's
/// attachments; Verify fails when one child's SBOM or the index signature is removed, each in one line.
/// </summary>
public sealed class IndexAttachVerifyTests
{
    [RequiresToolsFact("docker-registry")]
    public async Task An_index_is_signed_once_each_child_has_its_SBOM_a_copy_carries_all_and_Verify_needs_every_part()
    {
        using var scratch = new TempFolder();
        await using var registry = await RegistryServer.StartAsync();
        using var signer = EcdsaKeySigner.FromPem(TestOptions.NewKeyPem(), "test key");
        var layout = scratch["layout"];
        var children = new List<(Platform, RawManifest)>();
        var sboms = new List<(RawManifest, byte[])>();
        foreach (var (arch, seed) in new[] { ("amd64", 1), ("arm64", 2) })
        {
            var child = await ArchiveLoader.LoadAsync(
                await RegistryTestImage.WriteDockerArchiveAsync(scratch[$"{arch}.tar"], 2, 20_000, seed: seed),
                layout
            );
            children.Add((new Platform { Os = "linux", Architecture = arch }, child.Manifest));
            sboms.Add(
                (
                    child.Manifest,
                    await ImageSbom.CreateAsync(
                        child.Layout,
                        child.Manifest,
                        $"{registry.Host}/owner/multi",
                        DateTimeOffset.UnixEpoch,
                        []
                    )
                )
            );
        }

        var target = OciLayout.Open(layout);
        var index = PlatformIndex.Create(children);
        await target.PutManifestAsync(index, "m", default);
        var attached = await new ImageAttestor(signer).AttachIndexAsync(
            target,
            index,
            sboms,
            $"{registry.Host}/owner/multi",
            SignedImage.Facts()
        );
        Assert.Equal(index.Digest, attached.Image);

        await AttachVerifyTests.PushAsync(
            scratch,
            new ImportedImage(target, index, null),
            registry.Host,
            "owner/multi"
        );
        using var client = new RegistryClient(registry.Host, options: TestOptions.FailFast);
        var pushed = client.Repository("owner/multi");
        var policy = SignedImage.Policy(signer);
        var report = await new ImageVerifier().VerifyAsync(pushed, index.Digest, policy);
        Assert.True(report.Succeeded, report.Failure);
        Assert.Contains("SBOM attestation (CycloneDX) of linux/amd64", report.Passed);
        Assert.Contains("SBOM attestation (CycloneDX) of linux/arm64", report.Passed);
        // The index itself has no SBOM; each child has its own, with the child as its subject.
        Assert.Null(await pushed.ResolveAsync(AttachmentTag.For(index.Digest, AttachmentTag.Sbom), default));
        foreach (var (child, _) in sboms)
            Assert.NotNull(await pushed.ResolveAsync(AttachmentTag.For(child.Digest, AttachmentTag.Sbom), default));

        // A copy to another repository (Promote's path) carries the index, every child and every attachment.
        var promoted = client.Repository("owner/promoted");
        await new ImageCopier().CopyAsync(
            pushed,
            index.Digest.ToString(),
            promoted,
            ["v1"],
            beforeTags: (digest, token) =>
                new AttachedArtifacts().CarryAsync(pushed, promoted, digest, token, replace: true)
        );
        var copied = await new ImageVerifier().VerifyAsync(promoted, index.Digest, policy);
        Assert.True(copied.Succeeded, copied.Failure);

        // One child's SBOM removed: the index fails, naming that child and its platform.
        var arm = sboms[1].Item1.Digest;
        foreach (var kind in new[] { AttachmentTag.Attestation, AttachmentTag.Sbom })
            await promoted.DeleteManifestAsync(
                (await promoted.ResolveAsync(AttachmentTag.For(arm, kind), default))!.Value
            );
        var noSbom = await new ImageVerifier().VerifyAsync(promoted, index.Digest, policy);
        Assert.False(noSbom.Succeeded);
        Assert.StartsWith(
            $"SBOM check failed for {arm} (linux/arm64, a platform image of index {index.Digest.Short})",
            noSbom.Failure
        );
        Assert.DoesNotContain('\n', noSbom.Failure!);

        // The index signature removed (in the first repository): the index fails on its signature.
        await pushed.DeleteManifestAsync(
            (await pushed.ResolveAsync(AttachmentTag.For(index.Digest, AttachmentTag.Signature), default))!.Value
        );
        var unsigned = await new ImageVerifier().VerifyAsync(pushed, index.Digest, policy);
        Assert.False(unsigned.Succeeded);
        Assert.StartsWith($"no signature for {index.Digest}", unsigned.Failure);
    }
}
