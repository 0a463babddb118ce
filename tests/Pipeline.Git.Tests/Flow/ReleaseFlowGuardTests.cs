using Pipeline.Git.Flow;
using Pipeline.Testing;

namespace Pipeline.Git.Tests.Flow;

/// <summary>The prod/hotfix rules against a real remote with main and prod branches.</summary>
public sealed class ReleaseFlowGuardTests : IDisposable
{
    private readonly GitSandbox _sandbox = new();
    private readonly GitClone _dev;

    public ReleaseFlowGuardTests()
    {
        // main has a feature; a release PR merged main into prod.
        _dev = _sandbox.Clone("dev");
        _dev.Commit("feat: feature on main");
        _dev.Git("push", "--quiet", "origin", "main");
        _dev.Git("checkout", "--quiet", "-b", "prod");
        _dev.Git("push", "--quiet", "origin", "prod");
    }

    public void Dispose() => _sandbox.Dispose();

    private static Task<ReleaseFlowVerdict> Check(
        GitClone clone,
        bool failOnMissingBackport = false,
        string? branchHint = null
    ) =>
        new ReleaseFlowGuard(GitTestRepositories.Open(clone)).CheckAsync(
            new ReleaseFlowOptions { FailOnMissingBackport = failOnMissingBackport },
            branchHint
        );

    private GitClone ProdCheckout(string name)
    {
        var clone = _sandbox.Clone(name);
        clone.Git("checkout", "--quiet", "prod");
        return clone;
    }

    [GitFact]
    public async Task Refuses_on_main_naming_both_branches()
    {
        var clone = _sandbox.Clone("ci"); // checks out main
        var verdict = await Check(clone);
        Assert.False(verdict.Allowed);
        Assert.Equal("main", verdict.Branch);
        Assert.Contains("only from 'prod'", verdict.Refusal);
        Assert.Contains("not from 'main'", verdict.Refusal);
    }

    [GitFact]
    public async Task Refuses_a_detached_head_unless_ci_names_the_branch()
    {
        var clone = ProdCheckout("ci");
        clone.Git("checkout", "--quiet", "--detach");
        Assert.Contains("detached", (await Check(clone)).Refusal);
        Assert.True((await Check(clone, branchHint: "prod")).Allowed);
        Assert.False((await Check(clone, branchHint: "feature/x")).Allowed);
    }

    [GitFact]
    public async Task A_release_merge_of_main_into_prod_is_allowed_with_nothing_to_backport()
    {
        _dev.Git("checkout", "--quiet", "main");
        _dev.Commit("fix: another change on main");
        _dev.Git("push", "--quiet", "origin", "main");
        _dev.Git("checkout", "--quiet", "prod");
        _dev.Git("merge", "--quiet", "--no-ff", "-m", "Merge pull request #7 from org/main", "main");
        _dev.Git("push", "--quiet", "origin", "prod");

        var verdict = await Check(ProdCheckout("ci"));

        Assert.True(verdict.Allowed);
        Assert.False(verdict.IsHotfix);
        Assert.Equal("refs/remotes/origin/main", verdict.MainRef);
    }

    private string MergeHotfixIntoProd()
    {
        _dev.Git("checkout", "--quiet", "-b", "hotfix/login", "prod");
        var fix = _dev.CommitFile("login.txt", "fixed", "fix: login crash");
        _dev.Git("checkout", "--quiet", "prod");
        _dev.Git("merge", "--quiet", "--no-ff", "-m", "Merge pull request #9 from org/hotfix/login", "hotfix/login");
        _dev.Git("push", "--quiet", "origin", "prod");
        return fix;
    }

    [GitFact]
    public async Task A_hotfix_missing_from_main_is_reported_and_refused_when_configured()
    {
        var fix = MergeHotfixIntoProd();
        var clone = ProdCheckout("ci");

        var lenient = await Check(clone);
        Assert.True(lenient.Allowed);
        Assert.True(lenient.IsHotfix);
        Assert.Equal([fix], lenient.MissingBackports.Select(c => c.Sha));

        var strict = await Check(clone, failOnMissingBackport: true);
        Assert.False(strict.Allowed);
        Assert.Contains("hotfix not backported", strict.Refusal);
        Assert.Contains(fix[..7], strict.Refusal);
        Assert.Contains("fix: login crash", strict.Refusal);
    }

    [GitFact]
    public async Task A_hotfix_cherry_picked_into_main_counts_as_backported()
    {
        var fix = MergeHotfixIntoProd();
        _dev.Git("checkout", "--quiet", "main");
        _dev.Commit("feat: main moved on");
        _dev.Git("cherry-pick", fix);
        _dev.Git("push", "--quiet", "origin", "main");

        var verdict = await Check(ProdCheckout("ci"), failOnMissingBackport: true);

        Assert.True(verdict.Allowed, verdict.Refusal);
        Assert.Empty(verdict.MissingBackports);
    }

    [GitFact]
    public async Task A_hotfix_merged_into_main_counts_as_backported_even_from_a_shallow_clone()
    {
        MergeHotfixIntoProd();
        _dev.Git("checkout", "--quiet", "main");
        _dev.Git("merge", "--quiet", "--no-ff", "-m", "Merge prod back into main", "prod");
        _dev.Git("push", "--quiet", "origin", "main");

        // A CI checkout: one commit deep, only prod fetched.
        var shallow = Path.Combine(_sandbox.Root, "shallow");
        GitProcess.Run(
            _sandbox.Root,
            "clone",
            "--quiet",
            "--depth",
            "1",
            "--branch",
            "prod",
            "--single-branch",
            "file://" + _sandbox.Remote,
            shallow
        );
        var verdict = await Check(new GitClone(shallow), failOnMissingBackport: true);

        Assert.True(verdict.Allowed, verdict.Refusal);
        Assert.Equal("false", GitProcess.Run(shallow, "rev-parse", "--is-shallow-repository"));
    }
}
