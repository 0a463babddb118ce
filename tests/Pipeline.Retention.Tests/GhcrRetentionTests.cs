using Octokit;
using Pipeline.Retention.Tests.Fixtures;
using Pipeline.Testing;
using static Pipeline.Retention.Tests.Fixtures.Repository;
using Repository = Pipeline.Retention.Tests.Fixtures.Repository;

namespace Pipeline.Retention.Tests;

/// <summary>
/// GHCR retention through Octokit against <see cref="FakeGitHubApi"/>, a local HTTP server following GitHub's
/// documented packages and pulls REST shapes (GitHub cannot be reached from tests). The package's manifests live in a
/// real local docker-registry standing in for ghcr.io's registry endpoint; the fake deletes a version's manifest there,
/// as GHCR does, so skopeo checks the outcome.
/// </summary>
public class GhcrRetentionTests
{
    private const string Token = "ghp_CANARY0123456789abcdefCANARY";

    private static readonly RetentionPolicy Policy = new(
        [
            new DeleteRule("pr-closed") { TagPrefixes = ["pr-"], PullRequestClosed = true },
            new DeleteRule("pr-older-than-7d") { TagPrefixes = ["pr-"], OlderThan = TimeSpan.FromDays(7) },
            new DeleteRule("untagged-older-than-14d")
            {
                TagState = TagState.Untagged,
                OlderThan = TimeSpan.FromDays(14),
            },
        ],
        []
    );

    private sealed record Scenario(
        Repository Repo,
        FakeGitHubApi GitHub,
        (string Index, string[] Children) Release,
        (string Index, string[] Children) ClosedPr,
        string OpenPr,
        string Orphan
    ) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            GitHub.Dispose();
            await Repo.DisposeAsync();
        }
    }

    private static async Task<Scenario> SeedAsync()
    {
        var repo = await StartAsync("acme/app");
        var github = new FakeGitHubApi(Token, digest => repo.Seeder.DeleteAsync(digest));
        var release = await repo.Seeder.MultiArchAsync(DaysAgo(40), "v26.10.01.1");
        var closedPr = await repo.Seeder.MultiArchAsync(DaysAgo(2), "pr-5");
        var openPr = await repo.Seeder.ImageAsync(DaysAgo(1), "pr-8");
        var orphan = await repo.Seeder.ImageAsync(DaysAgo(20));

        // GHCR lists every manifest as a version: indexes with their tags, platform and attestation manifests untagged.
        github.Add(release.Index, DaysAgo(40), "v26.10.01.1", "latest");
        foreach (var child in release.Children)
            github.Add(child, DaysAgo(40));
        github.Add(closedPr.Index, DaysAgo(2), "pr-5");
        foreach (var child in closedPr.Children)
            github.Add(child, DaysAgo(2));
        github.Add(openPr, DaysAgo(1), "pr-8");
        github.Add(orphan, DaysAgo(20));
        github.PullRequests[5] = "closed";
        github.PullRequests[8] = "open";
        return new Scenario(repo, github, release, closedPr, openPr, orphan);
    }

    private static (GhcrPackageTarget Target, GitHubPullRequestStates Pulls) Connect(
        Scenario s,
        RecordingLogger logger,
        string package = "app"
    )
    {
        var client = new GitHubClient(new ProductHeaderValue("pipeline-retention-tests"), s.GitHub.BaseUri)
        {
            Credentials = new Credentials(Token),
        };
        return (
            new GhcrPackageTarget(client, new GhcrPackage("acme", package), s.Repo.Store, logger),
            new GitHubPullRequestStates(client, "acme", "app", logger)
        );
    }

    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task Deletes_closed_pr_images_with_their_children_through_the_packages_API_and_keeps_release_children()
    {
        await using var s = await SeedAsync();
        var logger = new RecordingLogger();
        var (target, pulls) = Connect(s, logger);

        var dryRun = await new RetentionRunner(logger).RunAsync(target, Policy, apply: false, pulls);
        Assert.Empty(s.GitHub.Deleted);
        Assert.Equal(5, dryRun.Plan.Deletions.Count);

        var report = await new RetentionRunner(logger).RunAsync(target, Policy, apply: true, pulls);

        Assert.True(report.Succeeded, logger.Text);
        int[] closedIds = [s.GitHub.IdOf(s.ClosedPr.Index), .. s.ClosedPr.Children.Select(s.GitHub.IdOf)];
        Assert.Equal(closedIds.Append(s.GitHub.IdOf(s.Orphan)).Order(), s.GitHub.Deleted.Order());
        Assert.Equal(closedIds[0], s.GitHub.Deleted.First(closedIds.Contains));
        Assert.DoesNotContain(s.GitHub.Requests, r => r.StartsWith("DELETE /v2/"));
        Assert.Equal(
            "delete rule 'pr-closed': pull request #5 closed",
            report.Deleted.Single(d => d.Version.Digest == s.ClosedPr.Index).Reason
        );

        Assert.Equal(["pr-8", "v26.10.01.1"], await s.Repo.TagsAsync());
        foreach (var digest in s.Release.Children.Append(s.Release.Index).Append(s.OpenPr))
            Assert.True(await s.Repo.ExistsAsync(digest), $"{digest} should stay");
        foreach (var digest in s.ClosedPr.Children.Append(s.ClosedPr.Index).Append(s.Orphan))
            Assert.False(await s.Repo.ExistsAsync(digest), $"{digest} should be gone");
        Assert.Equal(5, logger.Lines.Count(l => l.StartsWith("Information: deleted ghcr.io/acme/app")));
    }

    [RequiresToolsFact("docker-registry")]
    public async Task Lists_every_page_and_sends_the_token_but_never_logs_it()
    {
        await using var s = await SeedAsync();
        var logger = new RecordingLogger();
        var (target, _) = Connect(s, logger);

        var versions = await target.ListAsync();

        Assert.Equal(10, versions.Count);
        Assert.Equal(
            2,
            s.GitHub.Requests.Count(r => r.StartsWith("GET /api/v3/orgs/acme/packages/container/app/versions"))
        );
        Assert.Equal(s.Release.Children.Order(), versions.Single(v => v.Digest == s.Release.Index).Children.Order());
        Assert.DoesNotContain(Token, logger.Text);
    }

    [RequiresToolsFact("docker-registry")]
    public async Task A_failed_index_deletion_keeps_its_children_so_the_index_stays_whole()
    {
        await using var s = await SeedAsync();
        s.GitHub.FailingDeletes.Add(s.GitHub.IdOf(s.ClosedPr.Index));
        var logger = new RecordingLogger();
        var (target, pulls) = Connect(s, logger);

        var report = await new RetentionRunner(logger).RunAsync(target, Policy, apply: true, pulls);

        Assert.False(report.Succeeded);
        var failure = Assert.Single(report.Failed);
        Assert.StartsWith(
            $"GitHub packages API: deleting version {s.GitHub.IdOf(s.ClosedPr.Index)} of ghcr.io/acme/app answered 500",
            failure.Error
        );
        Assert.Equal(s.ClosedPr.Children.Order(), report.Skipped.Select(d => d.Version.Digest).Order());
        Assert.Equal([s.GitHub.IdOf(s.Orphan)], s.GitHub.Deleted);
        foreach (var digest in s.ClosedPr.Children.Append(s.ClosedPr.Index))
            Assert.True(await s.Repo.Seeder.ExistsAsync(digest));
        Assert.DoesNotContain(Token, logger.Text);
    }

    [RequiresToolsFact("docker-registry")]
    public async Task A_pull_request_the_API_does_not_know_keeps_its_images()
    {
        await using var s = await SeedAsync();
        s.GitHub.PullRequests.Remove(5);
        var logger = new RecordingLogger();
        var (target, pulls) = Connect(s, logger);

        var report = await new RetentionRunner(logger).RunAsync(
            target,
            new RetentionPolicy([Policy.Delete[0]], []),
            apply: true,
            pulls
        );

        Assert.Empty(report.Deleted);
        Assert.Contains(logger.Lines, l => l.StartsWith("Warning: pull request #5 of acme/app: 404"));
    }

    [RequiresToolsFact("docker-registry")]
    public async Task A_wrong_token_fails_with_one_line_naming_the_package()
    {
        await using var s = await SeedAsync();
        var client = new GitHubClient(new ProductHeaderValue("pipeline-retention-tests"), s.GitHub.BaseUri)
        {
            Credentials = new Credentials("ghp_WRONG_CANARY"),
        };
        var target = new GhcrPackageTarget(client, new GhcrPackage("acme", "app"), s.Repo.Store, new RecordingLogger());

        var error = await Assert.ThrowsAsync<RetentionException>(() => target.ListAsync());

        Assert.Equal(
            "GitHub packages API: listing versions of ghcr.io/acme/app answered 401 Requires authentication",
            error.Message
        );
        Assert.DoesNotContain("CANARY", error.ToString());
    }

    [RequiresToolsFact("docker-registry")]
    public async Task A_nested_package_name_is_one_URL_segment()
    {
        await using var s = await SeedAsync();
        var (target, _) = Connect(s, new RecordingLogger(), package: "tools/app");

        var versions = await target.ListAsync();

        Assert.Equal(10, versions.Count);
        Assert.Contains(
            s.GitHub.Requests,
            r => r.StartsWith("GET /api/v3/orgs/acme/packages/container/tools%2Fapp/versions")
        );
    }
}
