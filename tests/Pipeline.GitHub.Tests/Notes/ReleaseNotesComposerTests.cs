using Pipeline.Git;
using Pipeline.Git.Cli;
using Pipeline.GitHub.Notes;
using Pipeline.Testing;

namespace Pipeline.GitHub.Tests.Notes;

/// <summary>Notes from a real git history (merged pull requests, a squash merge, direct commits, a release merge into
/// prod).</summary>
public sealed class ReleaseNotesComposerTests : IDisposable
{
    private const string Repo = "octo-org/service";
    private readonly GitSandbox _sandbox = new();
    private readonly GitClone _dev;
    private readonly string _released;

    public ReleaseNotesComposerTests()
    {
        _dev = _sandbox.Clone("dev");
        _dev.Git("checkout", "--quiet", "-b", "prod");
        _dev.Git("tag", "-a", "-m", "Release v26.11.20.1", "v26.11.20.1");
        _released = _dev.Head;

        _dev.Git("checkout", "--quiet", "main");
        MergePullRequest(12, "feature/login", "Add login page", ["feat: login form", "test: login form"]);
        MergePullRequest(13, "fix/crash", "Fix crash on empty cart", ["fix: null cart"]);
        _dev.Commit("perf(db): batch inserts (#14)"); // squash merge
        _dev.Commit("docs: explain release flow"); // pushed straight to main
        _dev.Git("checkout", "--quiet", "prod");
        _dev.Git(
            "merge",
            "--quiet",
            "--no-ff",
            "-m",
            "Merge pull request #15 from octo-org/main\n\nRelease 2026-11-22",
            "main"
        );
    }

    public void Dispose() => _sandbox.Dispose();

    private void MergePullRequest(int number, string branch, string title, string[] commits)
    {
        _dev.Git("checkout", "--quiet", "-b", branch, "main");
        foreach (var message in commits)
            _dev.Commit(message);
        _dev.Git("checkout", "--quiet", "main");
        _dev.Git(
            "merge",
            "--quiet",
            "--no-ff",
            "-m",
            $"Merge pull request #{number} from octo-org/{branch}\n\n{title}",
            branch
        );
    }

    private async Task<ReleaseNotesInput> Input()
    {
        var repository = new GitRepository(new GitCli(_dev.Path));
        var commits = await repository.LogAsync(_released, "HEAD");
        return new ReleaseNotesInput("v26.11.22.1", "v26.11.20.1", commits, $"https://github.com/{Repo}");
    }

    [GitFact]
    public async Task Without_github_pull_requests_come_from_merge_messages_and_pr_commits_are_not_repeated()
    {
        var notes = await new ReleaseNotesComposer().ComposeAsync(await Input());

        Assert.StartsWith(
            $"Changes since "
                + $"[v26.11.20.1](https://github.com/{Repo}/compare/v26.11.20.1...v26.11.22.1): "
                + $"3 pull requests and 1 commit.",
            notes
        );
        Assert.Contains("### Performance\n\n- **db:** batch inserts (#14)", notes.ReplaceLineEndings("\n"));
        Assert.Contains("### Documentation\n\n- explain release flow (", notes.ReplaceLineEndings("\n"));
        Assert.Contains("- Add login page (#12)", notes);
        Assert.Contains("- Fix crash on empty cart (#13)", notes);
        Assert.DoesNotContain("login form", notes); // commits of #12 are inside its entry
        Assert.DoesNotContain("null cart", notes);
        Assert.DoesNotContain("#15", notes); // the release merge itself is not a change
    }

    [GitFact]
    public async Task With_github_titles_authors_and_labels_decide_the_sections()
    {
        using var github = new GitHubApiServer();
        github.AddPullRequest(Repo, 12, "Login page", "alice", "enhancement");
        github.AddPullRequest(Repo, 13, "Crash on empty cart", "bob", "bug");
        github.AddPullRequest(Repo, 14, "perf(db)!: batch inserts", "carol");
        var source = new GitHubPullRequestSource(
            GitHubClients.Create(github.Token, github.BaseAddress),
            GitHubRepositoryName.Parse(Repo)
        );

        var notes = (await new ReleaseNotesComposer(source).ComposeAsync(await Input())).ReplaceLineEndings("\n");

        Assert.Contains("### Breaking changes\n\n- **db:** batch inserts (#14) by @carol", notes);
        Assert.Contains("### Features\n\n- Login page (#12) by @alice", notes);
        Assert.Contains("### Fixes\n\n- Crash on empty cart (#13) by @bob", notes);
        Assert.True(
            notes.IndexOf("### Breaking", StringComparison.Ordinal)
                < notes.IndexOf("### Features", StringComparison.Ordinal)
        );
        Assert.Equal(
            [
                "/api/v3/repos/octo-org/service/pulls/12",
                "/api/v3/repos/octo-org/service/pulls/13",
                "/api/v3/repos/octo-org/service/pulls/14",
            ],
            github.Requests.Select(r => r.Path).Order(StringComparer.Ordinal)
        );
    }

    [GitFact]
    public async Task A_github_failure_falls_back_to_commit_messages_with_one_warning()
    {
        using var github = new GitHubApiServer();
        github.FailNext(GitHubApiFault.RateLimited(DateTimeOffset.UtcNow.AddMinutes(5)));
        var log = new RecordingLogger();
        var source = new GitHubPullRequestSource(
            GitHubClients.Create(github.Token, github.BaseAddress),
            GitHubRepositoryName.Parse(Repo)
        );

        var notes = await new ReleaseNotesComposer(source, log).ComposeAsync(await Input());

        Assert.Contains("- Add login page (#12)", notes);
        Assert.Single(log.Lines, l => l.Contains("Pull request titles unavailable") && l.Contains("rate limit"));
        Assert.Single(github.Requests); // stopped asking after the failure
    }

    [Fact]
    public async Task A_403_on_a_pull_request_names_the_pull_requests_read_permission()
    {
        using var github = new GitHubApiServer();
        github.AddPullRequest(Repo, 12, "Login page", "alice");
        github.FailNext(GitHubApiFault.Forbidden);
        var source = new GitHubPullRequestSource(
            GitHubClients.Create(github.Token, github.BaseAddress),
            GitHubRepositoryName.Parse(Repo)
        );

        var error = await Assert.ThrowsAsync<GitHubApiFailure>(() => source.FindAsync(12));

        Assert.Contains("reading pull request #12 for the release notes (403", error.Message);
        Assert.Contains("'pull-requests: read'", error.Message);
        Assert.DoesNotContain("contents", error.Message);
    }

    [Fact]
    public async Task A_first_release_and_an_empty_release_say_so()
    {
        var first = await new ReleaseNotesComposer().ComposeAsync(
            new ReleaseNotesInput(
                "v26.11.22.1",
                null,
                [new Git.History.GitCommit(new string('a', 40), [], "me", "feat: hello", "")],
                null
            )
        );
        Assert.StartsWith("First release: 1 commit.", first);
        Assert.Contains("### Features", first);

        var empty = await new ReleaseNotesComposer().ComposeAsync(
            new ReleaseNotesInput("v26.11.22.2", "v26.11.22.1", [], null)
        );
        Assert.Equal("No changes since v26.11.22.1.", empty.Trim());
    }

    [GitFact]
    public async Task A_release_of_part_of_the_repository_lists_only_the_changes_that_touched_it()
    {
        var input = await Input();
        var nullCart = input.Commits.Single(c => c.Subject == "fix: null cart").Sha; // inside pull request #13
        var docs = input.Commits.Single(c => c.Subject == "docs: explain release flow").Sha;

        var notes = await new ReleaseNotesComposer().ComposeAsync(
            input with
            {
                Relevant = new HashSet<string> { nullCart, docs },
            }
        );

        Assert.Contains("- Fix crash on empty cart (#13)", notes); // listed through the commit it brought
        Assert.Contains("- explain release flow (", notes);
        Assert.DoesNotContain("#12", notes);
        Assert.DoesNotContain("#14", notes);
        Assert.Contains("1 pull request and 1 commit", notes);
    }
}
