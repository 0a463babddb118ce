using Pipeline.Testing;

namespace Pipeline.Git.Tests.History;

/// <summary>Which commits of a range a part of the repository (a service's input globs) is changed by: real
/// git.</summary>
public sealed class CommitsTouchingTests : IDisposable
{
    private readonly GitSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [GitFact]
    public async Task Commits_changing_a_matching_path_count_also_on_merged_branches_and_others_do_not()
    {
        var clone = _sandbox.Clone("work");
        Directory.CreateDirectory(Path.Combine(clone.Path, "services", "api", "src"));
        Directory.CreateDirectory(Path.Combine(clone.Path, "services", "web"));
        var start = clone.CommitFile("services/web/index.html", "v1", "feat: web");
        var api = clone.CommitFile("services/api/src/main.go", "v1", "feat: api");
        clone.Git("checkout", "--quiet", "-b", "topic");
        var onBranch = clone.CommitFile("services/api/src/util.go", "v1", "fix: api util");
        clone.Git("checkout", "--quiet", "main");
        clone.CommitFile("services/web/index.html", "v2", "fix: web");
        clone.Git("merge", "--quiet", "--no-ff", "-m", "Merge branch 'topic'", "topic");

        var touching = await GitTestRepositories.Open(clone).CommitsTouchingAsync(start, "HEAD", ["services/api/**"]);

        Assert.Equal(new HashSet<string> { api, onBranch }, touching);
    }
}
