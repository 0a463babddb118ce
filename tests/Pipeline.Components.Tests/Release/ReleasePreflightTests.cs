using Pipeline.Components.Release;
using Pipeline.Engine;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Release;

/// <summary>
/// The release chain through the real engine (plan, preflight, run) in a real clone with a bare origin. A bad GitHub
/// API address must stop the run before TagCalVer creates or pushes anything. GitHub itself is never reached: the
/// good-path test uses the local stand-in that follows GitHub's documented REST shapes (<see cref="GitHubApiServer"/>).
/// </summary>
public sealed class ReleasePreflightTests : IDisposable
{
    private const string Canary = "ghs_CANARYpreflightTOKEN_31337";
    private readonly GitSandbox _sandbox = new();
    private readonly GitClone _work;

    private sealed class ReleaseBuild : PipelineBuild, IRelease;

    public ReleasePreflightTests()
    {
        _work = _sandbox.Clone("work");
        _work.Git("config", "user.name", "Test Committer");
        _work.Git("config", "user.email", "committer@example.test");
        _work.Commit("feat: service");
        _work.Git("checkout", "--quiet", "-b", "prod");
        _work.Git("push", "--quiet", "origin", "main", "prod");
    }

    public void Dispose() => _sandbox.Dispose();

    private async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var environment = new Dictionary<string, string>
        {
            ["GITHUB_TOKEN"] = Canary,
            ["GITHUB_REPOSITORY"] = "octo-org/service",
        };
        var run = await BuildRun.RunBareAsync(
            new ReleaseBuild(),
            [.. args, "--root", _work.Path],
            environment,
            default,
            "Release"
        );
        return (run.ExitCode, run.Output);
    }

    [GitFact]
    public async Task A_malformed_api_url_stops_the_release_before_any_tag_exists()
    {
        var (exit, output) = await RunAsync("--github-api-url", "htps//github.example");

        Assert.Equal(2, exit);
        Assert.Contains("Release: --github-api-url: 'htps//github.example' is not an http(s) address", output);
        Assert.Empty(_work.LocalTags());
        Assert.Empty(_sandbox.RemoteTags());
        Assert.DoesNotContain(Canary, output);
    }

    [GitFact]
    public async Task An_unreachable_api_url_stops_the_release_before_TagCalVer_pushes_the_tag()
    {
        var closed = FreePort.Next(); // nothing listens there

        var (exit, output) = await RunAsync("--github-api-url", $"http://127.0.0.1:{closed}/api/v3");

        Assert.Equal(2, exit);
        Assert.Contains($"the GitHub API at http://127.0.0.1:{closed} cannot be reached", output);
        Assert.Matches(@"TagCalVer\s+not run\s+preflight failed before the first side effect", output);
        Assert.Empty(_work.LocalTags());
        Assert.Empty(_sandbox.RemoteTags());
        Assert.DoesNotContain(Canary, output);
    }

    [GitFact]
    public async Task A_rejected_token_stops_the_release_before_TagCalVer_pushes_the_tag()
    {
        using var github = new GitHubApiServer("ghs_the_token_github_expects");

        var (exit, output) = await RunAsync("--github-api-url", github.BaseAddress + "api/v3");

        Assert.Equal(2, exit);
        Assert.Contains("GitHub rejected the token while checking access to octo-org/service (401", output);
        Assert.Empty(_sandbox.RemoteTags());
        Assert.Empty(github.Releases);
    }

    [GitFact]
    public async Task With_a_reachable_api_the_chain_tags_pushes_and_publishes()
    {
        using var github = new GitHubApiServer(Canary);

        var (exit, output) = await RunAsync("--github-api-url", github.BaseAddress + "api/v3");

        Assert.True(exit == 0, output);
        var tag = Assert.Single(_sandbox.RemoteTags());
        Assert.Equal(tag, Assert.Single(github.Releases).Tag);
        Assert.DoesNotContain(Canary, output);
    }
}
