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
        var logger = new CapturingLogger();
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

    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task An_untagged_rule_never_touches_the_children_of_a_tagged_index()
    {
        await using var repo = await StartAsync();
        var release = await repo.Seeder.MultiArchAsync(DaysAgo(90), "latest");
        var target = new OciRepositoryTarget(repo.Store, new CapturingLogger());

        var report = await new RetentionRunner(new CapturingLogger()).RunAsync(
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
        var target = new OciRepositoryTarget(repo.Store, new CapturingLogger());

        var error = await Assert.ThrowsAsync<RetentionException>(() =>
            new RetentionRunner(new CapturingLogger()).RunAsync(
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
