using Pipeline.Registry;
using Pipeline.Registry.Images;
using Pipeline.Registry.Referrers;
using Pipeline.Retention.Tests.Fixtures;
using Pipeline.Testing;
using static Pipeline.Retention.Tests.Fixtures.Repository;

namespace Pipeline.Retention.Tests;

/// <summary>Retention on a real local <c>docker-registry</c> (deletes enabled), read through Pipeline.Registry's
/// client, checked with skopeo.</summary>
public class OciRetentionTests
{
    private static readonly RetentionPolicy Policy = new(
        [
            new DeleteRule("pr-older-than-7d") { TagPrefixes = ["pr-"], OlderThan = TimeSpan.FromDays(7) },
            new DeleteRule("staging-older-than-14d") { TagPrefixes = ["staging-"], OlderThan = TimeSpan.FromDays(14) },
        ],
        [new KeepRule("newest-staging") { TagPrefixes = ["staging-"], MostRecent = 1 }]
    );

    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task Dry_run_lists_then_apply_deletes_tags_and_manifests_and_leaves_releases_whole()
    {
        await using var repo = await StartAsync();
        var release = await repo.Seeder.MultiArchAsync(DaysAgo(60), "v26.09.01.1");
        var oldPr = await repo.Seeder.MultiArchAsync(DaysAgo(10), "pr-5");
        var newPr = await repo.Seeder.ImageAsync(DaysAgo(1), "pr-6");
        var prAlsoReleased = await repo.Seeder.ImageAsync(DaysAgo(30), "pr-7");
        await repo.Seeder.TagAsync(prAlsoReleased, "v26.10.01.1");
        var oldStaging = await repo.Seeder.ImageAsync(DaysAgo(30), "staging-aaa");
        var newestStaging = await repo.Seeder.ImageAsync(DaysAgo(20), "staging-bbb");
        var logger = new RecordingLogger();
        var target = new OciRepositoryTarget(repo.Store, logger);

        var dryRun = await new RetentionRunner(logger).RunAsync(target, Policy, apply: false);

        string[] expected = [oldPr.Index, .. oldPr.Children, oldStaging];
        Assert.Equal(expected.Order(), dryRun.Plan.Deletions.Select(d => d.Version.Digest).Order());
        AssertIndexFirst(dryRun.Plan.Deletions, oldPr);
        Assert.Empty(dryRun.Deleted);
        Assert.All(
            expected,
            digest =>
                Assert.Contains(
                    logger.Lines,
                    l => l.StartsWith("Information: would delete") && l.Contains(digest[..19])
                )
        );
        Assert.True(await repo.ExistsAsync(oldPr.Index), "a dry run deletes nothing");
        Assert.True(dryRun.Plan.BytesToFree > 0);

        var applied = await new RetentionRunner(logger).RunAsync(target, Policy, apply: true);

        Assert.True(applied.Succeeded);
        Assert.Equal(expected.Order(), applied.Deleted.Select(d => d.Version.Digest).Order());
        AssertIndexFirst(applied.Deleted, oldPr);
        Assert.Equal(["pr-6", "pr-7", "staging-bbb", "v26.09.01.1", "v26.10.01.1"], await repo.TagsAsync());
        foreach (var gone in expected)
            Assert.False(await repo.ExistsAsync(gone), $"{gone} should be deleted");
        foreach (var kept in new[] { release.Index, newPr, prAlsoReleased, newestStaging }.Concat(release.Children))
            Assert.True(await repo.ExistsAsync(kept), $"{kept} should stay");
        Assert.All(
            expected,
            digest =>
                Assert.Contains(logger.Lines, l => l.StartsWith("Information: deleted") && l.Contains(digest[..19]))
        );
    }

    private static void AssertIndexFirst(
        IReadOnlyList<RetentionDecision> order,
        (string Index, string[] Children) image
    )
    {
        var digests = order.Select(d => d.Version.Digest).ToList();
        Assert.All(
            image.Children,
            child =>
                Assert.True(
                    digests.IndexOf(image.Index) < digests.IndexOf(child),
                    "an index goes before the manifests it lists"
                )
        );
    }

    /// <summary>
    /// Multi-platform images as this repository's push lays them out (docs/registry.md): a signed index (signature and
    /// provenance on the index) whose platform images each carry their own SBOM, under cosign's tags, since
    /// docker-registry has no referrers API. An old pull-request build goes as a whole; a platform image that a kept
    /// release's index also lists stays with its SBOM, and the release stays whole (skopeo copies it with every child).
    /// </summary>
    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task A_signed_multi_platform_image_goes_as_a_whole_and_no_child_a_kept_index_names_is_deleted()
    {
        await using var repo = await StartAsync();
        var release = await repo.Seeder.MultiArchAsync(DaysAgo(60), "v26.09.01.1");
        var oldPr = await repo.Seeder.MultiArchAsync(DaysAgo(10), "pr-5");
        // A later pull-request build whose amd64 image came out byte for byte the release's (reproducible build): its
        // index lists that very image.
        var prArm64 = await repo.Seeder.ImageAsync(DaysAgo(9), architecture: "arm64");
        var sharingPr = await repo.Seeder.IndexAsync("pr-6", (release.Children[0], "amd64"), (prArm64, "arm64"));
        var attachments = new Dictionary<string, List<string>>();
        foreach (
            var (index, platformImages) in new[]
            {
                (release.Index, release.Children[..2]),
                (oldPr.Index, oldPr.Children[..2]),
                (sharingPr, new[] { prArm64 }),
            }
        )
        {
            attachments[index] =
            [
                await AttachAsync(repo, index, AttachmentTag.Signature),
                await AttachAsync(repo, index, AttachmentTag.Attestation),
            ];
            foreach (var image in platformImages)
                attachments[image] = [await AttachAsync(repo, image, AttachmentTag.Sbom)];
        }

        var policy = new RetentionPolicy(
            [
                new DeleteRule("pr-older-than-7d") { TagPrefixes = ["pr-"], OlderThan = TimeSpan.FromDays(7) },
                new DeleteRule("untagged-older-than-14d")
                {
                    TagState = TagState.Untagged,
                    OlderThan = TimeSpan.FromDays(14),
                },
            ],
            []
        );
        var applied = await new RetentionRunner(new RecordingLogger()).RunAsync(
            new OciRepositoryTarget(repo.Store, new RecordingLogger()),
            policy,
            apply: true
        );

        Assert.True(applied.Succeeded);
        string[] gone =
        [
            oldPr.Index,
            .. oldPr.Children,
            .. attachments[oldPr.Index],
            .. attachments[oldPr.Children[0]],
            .. attachments[oldPr.Children[1]],
            sharingPr,
            prArm64,
            .. attachments[sharingPr],
            .. attachments[prArm64],
        ];
        Assert.Equal(gone.Order(), applied.Deleted.Select(d => d.Version.Digest).Order());
        foreach (var digest in gone)
            Assert.False(await repo.ExistsAsync(digest), $"{digest} should be deleted");
        string[] kept =
        [
            release.Index,
            .. release.Children,
            .. attachments[release.Index],
            .. attachments[release.Children[0]],
            .. attachments[release.Children[1]],
        ];
        foreach (var digest in kept)
            Assert.True(await repo.ExistsAsync(digest), $"{digest} should stay");

        // Order: an index before what it lists, an attachment before what it is attached to.
        var order = applied.Deleted.Select(d => d.Version.Digest).ToList();
        AssertIndexFirst(applied.Deleted, oldPr);
        Assert.True(order.IndexOf(sharingPr) < order.IndexOf(prArm64));
        foreach (var (subject, attached) in attachments.Where(a => order.Contains(a.Key)))
            Assert.All(
                attached,
                a => Assert.True(order.IndexOf(a) < order.IndexOf(subject), "an attachment goes before its image")
            );

        // The release is whole: every child of its index can be copied, and a second run finds nothing orphaned.
        using var copy = new TempFolder("retention-");
        await Skopeo.CopyAsync(
            $"docker://{repo.Registry.Host}/{repo.Name}:v26.09.01.1",
            $"oci:{copy["layout"]}:v",
            "--all"
        );
        var again = await new RetentionRunner(new RecordingLogger()).RunAsync(
            new OciRepositoryTarget(repo.Store, new RecordingLogger()),
            policy,
            apply: false
        );
        Assert.Empty(again.Plan.Deletions);
        Assert.Equal(kept.Length, again.Plan.Kept.Count);
    }

    /// <summary>An attachment of <paramref name="kind"/> on <paramref name="subject"/>, stored by the push's own code
    /// (cosign's tag here). Returns its digest.</summary>
    private static async Task<string> AttachAsync(Repository repo, string subject, string kind)
    {
        var target = repo.Client.Repository(repo.Name);
        var manifest = await target.GetManifestAsync(subject, default);
        var content = System.Text.Encoding.UTF8.GetBytes($"{{\"kind\":\"{kind}\",\"subject\":\"{subject}\"}}");
        var layer = new Descriptor
        {
            MediaType = "application/vnd.dev.cosign.simplesigning.v1+json",
            Digest = Digest.Sha256(content),
            Size = content.Length,
        };
        return (
            await new AttachedArtifacts().AttachAsync(target, manifest.Descriptor, kind, [(layer, content)])
        ).ToString();
    }

    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task An_untagged_rule_never_touches_the_children_of_a_tagged_index()
    {
        await using var repo = await StartAsync();
        var release = await repo.Seeder.MultiArchAsync(DaysAgo(90), "latest");
        var target = new OciRepositoryTarget(repo.Store, new RecordingLogger());

        var report = await new RetentionRunner(new RecordingLogger()).RunAsync(
            target,
            new RetentionPolicy([new DeleteRule("untagged") { TagState = TagState.Untagged }], []),
            apply: true
        );

        Assert.Empty(report.Deleted);
        Assert.Equal(4, report.Plan.Kept.Count);
        foreach (var digest in release.Children.Append(release.Index))
            Assert.True(await repo.ExistsAsync(digest));
    }

    [RequiresToolsFact("docker-registry")]
    public async Task An_index_listing_a_missing_manifest_stops_retention_before_any_deletion()
    {
        await using var repo = await StartAsync();
        var broken = await repo.Seeder.MultiArchAsync(DaysAgo(30), "pr-1");
        await repo.Seeder.DeleteAsync(broken.Children[0]);
        var target = new OciRepositoryTarget(repo.Store, new RecordingLogger());

        var error = await Assert.ThrowsAsync<RetentionException>(() =>
            new RetentionRunner(new RecordingLogger()).RunAsync(
                target,
                new RetentionPolicy([new DeleteRule("pr") { TagPrefixes = ["pr-"] }], []),
                apply: true
            )
        );

        Assert.Equal(
            $"{repo.Registry.Host}/acme/app: an index lists {broken.Children[0]}, "
                + $"which the registry does not have; nothing was deleted",
            error.Message
        );
        Assert.True(await repo.Seeder.ExistsAsync("pr-1"));
    }
}
