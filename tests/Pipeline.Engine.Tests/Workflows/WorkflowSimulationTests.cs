using System.Diagnostics;
using Pipeline.Testing;

namespace Pipeline.Engine.Tests.Workflows;

/// <summary>
/// The committed workflows walked job by job for real-shaped events (push to main, push to prod, a pull request from
/// the same repository and from a fork, a dispatch from a feature branch, merge-queue groups), in fresh clones, as a
/// non-root user (see <see cref="WorkflowSimulation"/> for what is real and what is recorded). Each scenario's outcome
/// is asserted.
/// </summary>
public sealed class WorkflowSimulationTests : IDisposable
{
    private readonly TempFolder _temp = new("pipeline-simulation-");
    private readonly string _user = "pipeline-sim-" + Guid.NewGuid().ToString("N")[..6];
    private readonly string? _runAs;
    private readonly string _origin;
    private readonly Dictionary<string, string> _commits = [];

    public WorkflowSimulationTests()
    {
        _runAs = Environment.IsPrivilegedProcess ? _user : null;
        if (_runAs is not null)
            Exec("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", _user);

        // The scenario repository: main, a code change, a docs-only change, prod and a hotfix branch.
        var work = Path.Combine(_temp.Path, "work");
        Directory.CreateDirectory(work);
        Git(work, "init", "--quiet", "-b", "main");
        Write(work, "src/App.cs", "class App {}\n");
        Write(work, "docs/guide.md", "# Guide\n");
        _commits["main"] = Commit(work, "base");
        Git(work, "checkout", "--quiet", "-b", "feature");
        Write(work, "src/App.cs", "class App { }\n");
        Write(work, "docs/guide.md", "# Guide\n\nMore.\n");
        _commits["feature"] = Commit(work, "code and docs");
        Git(work, "checkout", "--quiet", "-b", "docs-only", "main");
        Write(work, "docs/guide.md", "# Guide\n\nTypo fixed.\n");
        _commits["docs-only"] = Commit(work, "docs only");
        Git(work, "branch", "prod", "main");
        Git(work, "branch", "hotfix/urgent", "main");
        _commits["prod"] = _commits["main"];
        _origin = Path.Combine(_temp.Path, "origin.git");
        Git(_temp.Path, "clone", "--quiet", "--bare", work, _origin);
        if (_runAs is not null)
            Exec("chown", "-R", $"{_user}:", _temp.Path);
    }

    public void Dispose()
    {
        if (_runAs is not null)
            Exec("userdel", _user);
        _temp.Dispose();
    }

    private WorkflowSimulation Simulation => new(_origin, _temp.Path, _runAs);

    private WorkflowSimulation.Event Push(string branch) =>
        new(
            "push",
            $"refs/heads/{branch}",
            _commits[branch.StartsWith("hotfix/", StringComparison.Ordinal) ? "main" : branch],
            $$"""{ "ref": "refs/heads/{{branch}}", "after": "{{_commits["main"]}}","""
                + $$""" "repository": { "full_name": "octo-org/service" } }""",
            new() { ["github.event_name"] = "push", ["github.ref"] = $"refs/heads/{branch}" }
        );

    private WorkflowSimulation.Event Dispatch(string branch, string commit) =>
        new(
            "workflow_dispatch",
            $"refs/heads/{branch}",
            commit,
            $$"""{ "ref": "refs/heads/{{branch}}", "inputs": {}, "repository": { "full_name": "octo-org/service" } }""",
            new() { ["github.event_name"] = "workflow_dispatch", ["github.ref"] = $"refs/heads/{branch}" }
        );

    private WorkflowSimulation.Event PullRequest(string head, string fromRepository) =>
        new(
            "pull_request",
            "refs/pull/7/merge",
            _commits[head],
            $$"""{ "action": "synchronize", "number": 7, "pull_request": { "number": """
                + $$"""7, "head": { "ref": "{{head}}", "sha": "{{_commits[head]}}", "repo": { "f"""
                + $$"""ull_name": "{{fromRepository}}" } }, "base": { "ref": "main", "sha":"""
                + $$""" "{{_commits["main"]}}", "repo": { "full_name": "octo-org/service" } } } }""",
            new()
            {
                ["github.event_name"] = "pull_request",
                ["github.ref"] = "refs/pull/7/merge",
                ["github.event.pull_request.base.sha"] = _commits["main"],
                ["github.event.pull_request.number"] = "7",
            }
        );

    private WorkflowSimulation.Event MergeGroup(string head) =>
        new(
            "merge_group",
            $"refs/heads/gh-readonly-queue/main/pr-7-{_commits[head]}",
            _commits[head],
            $$"""{ "action": "checks_requested", "merge_group": { "head_sha":"""
                + $$""" "{{_commits[head]}}", "head_ref": "refs/heads/gh-readonly-queue/main/pr-"""
                + $$"""7", "base_sha": "{{_commits["main"]}}", "base_ref": "refs/heads/main" } }""",
            new()
            {
                ["github.event_name"] = "merge_group",
                ["github.ref"] = $"refs/heads/gh-readonly-queue/main/pr-7",
                ["github.event.merge_group.base_sha"] = _commits["main"],
            }
        );

    [Fact]
    public async Task Push_to_main_builds_and_pushes_then_deploys_to_staging_with_the_verify_key_only()
    {
        var runs = await Simulation.RunAsync(CommittedWorkflowFiles.Text("main"), Push("main"));

        Assert.Equal(["image", "deploy", "packages"], runs.Keys);
        Assert.All(runs.Values, r => Assert.True(r.Outcome == "success", r.Output));
        Assert.Equal(
            "./build.sh BuildImage PushGar --image-target prod --deploy-environment "
                + "staging [GAR_SERVICE_ACCOUNT, GAR_WORKLOAD_IDENTITY_PROVIDER, SIGNING_KEY]",
            Assert.Single(runs["image"].BuildCommands)
        );
        var deploy = Assert.Single(runs["deploy"].BuildCommands);
        Assert.EndsWith("[GITHUB_TOKEN, VERIFY_KEY]", deploy, StringComparison.Ordinal);
        Assert.DoesNotContain("SIGNING_KEY", deploy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("prod")]
    [InlineData("hotfix/urgent")]
    public async Task Prod_runs_from_prod_and_hotfix_branches(string branch)
    {
        var runs = await Simulation.RunAsync(
            CommittedWorkflowFiles.Text("prod"),
            branch == "prod" ? Push("prod") : Dispatch(branch, _commits["main"])
        );

        Assert.Equal(["ref-guard", "release", "deploy"], runs.Keys);
        Assert.All(runs.Values, r => Assert.True(r.Outcome == "success", r.Output));
        Assert.Contains($"on refs/heads/{branch}: allowed", runs["ref-guard"].Output, StringComparison.Ordinal);
        Assert.StartsWith(
            "./build.sh Release ",
            Assert.Single(runs["release"].BuildCommands),
            StringComparison.Ordinal
        );
        Assert.StartsWith(
            "./build.sh Deploy --skip ",
            Assert.Single(runs["deploy"].BuildCommands),
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task A_prod_dispatch_from_a_feature_branch_stops_in_its_first_job_before_approval_and_tests()
    {
        var runs = await Simulation.RunAsync(
            CommittedWorkflowFiles.Text("prod"),
            Dispatch("feature", _commits["feature"])
        );

        Assert.Equal("failure", runs["ref-guard"].Outcome);
        Assert.Equal(
            "::error title=Refused ref::prod runs from prod, hotfix/* only; workflow_dispatch on "
                + "refs/heads/feature is refused before any approval "
                + "or test. Start it from one of those branches.",
            runs["ref-guard"].Output.Trim()
        );
        Assert.Equal("skipped", runs["release"].Outcome); // never asks for the production approval
        Assert.Equal("skipped", runs["deploy"].Outcome);
    }

    [Theory]
    [InlineData("octo-org/service")]
    [InlineData("stranger/service")]
    public async Task A_pull_request_with_code_changes_runs_the_build(string fromRepository)
    {
        var runs = await Simulation.RunAsync(CommittedWorkflowFiles.Text("pr"), PullRequest("feature", fromRepository));

        var pr = runs["pr"];
        Assert.True(pr.Outcome == "success", pr.Output);
        Assert.Equal(
            "./build.sh Lint Test Coverage BuildImage PushGhcr --image-target dev [GITHUB_TOKEN]",
            Assert.Single(pr.BuildCommands)
        );
    }

    [Theory]
    [InlineData("octo-org/service")]
    [InlineData("stranger/service")]
    public async Task A_docs_only_pull_request_passes_its_required_check_without_building(string fromRepository)
    {
        var runs = await Simulation.RunAsync(
            CommittedWorkflowFiles.Text("pr"),
            PullRequest("docs-only", fromRepository)
        );

        var pr = runs["pr"];
        Assert.True(pr.Outcome == "success", pr.Output);
        Assert.Empty(pr.BuildCommands);
        Assert.Contains(
            "::notice title=Build skipped::only paths under docs/** changed",
            pr.Output,
            StringComparison.Ordinal
        );
        Assert.Contains("Build skipped: only docs/** changed.", pr.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("feature", 1)]
    [InlineData("docs-only", 0)]
    public async Task The_merge_queue_runs_the_same_check(string head, int builds)
    {
        var runs = await Simulation.RunAsync(CommittedWorkflowFiles.Text("pr"), MergeGroup(head));

        Assert.True(runs["pr"].Outcome == "success", runs["pr"].Output);
        Assert.Equal(builds, runs["pr"].BuildCommands.Count);
    }

    private static void Write(string root, string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, path))!);
        File.WriteAllText(Path.Combine(root, path), text);
    }

    private static string Commit(string root, string message)
    {
        Git(root, "add", "-A");
        Git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "--quiet", "-m", message);
        return Git(root, "rev-parse", "HEAD").Trim();
    }

    private static string Git(string directory, params string[] args) => Exec("git", ["-C", directory, .. args]);

    private static string Exec(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in args)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), $"{file} did not finish within a minute");
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)}: {output}");
        return output;
    }
}
