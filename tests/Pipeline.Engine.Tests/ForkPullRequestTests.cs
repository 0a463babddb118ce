using Pipeline.Engine.Hosts;
using Pipeline.Engine.Targets;
using Pipeline.Engine.Workflows;

namespace Pipeline.Engine.Tests;

/// <summary>
/// A fork pull request is recognised from the event payload GitHub writes to <c>GITHUB_EVENT_PATH</c> (the payload here
/// follows GitHub's documented <c>pull_request</c> webhook shape); then targets needing a write token are skipped with
/// one line.
/// </summary>
public sealed class ForkPullRequestTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public ForkPullRequestTests()
    {
        _harness.Environment["GITHUB_ACTIONS"] = "true";
        _harness.Environment["GITHUB_EVENT_NAME"] = "pull_request";
        _harness.Environment["GITHUB_REPOSITORY"] = "octo-org/service";
        _harness.Environment["GITHUB_REF"] = "refs/pull/9/merge";
        _harness.Environment["GITHUB_EVENT_PATH"] = Path.Combine(_harness.Root, "event.json");
    }

    public void Dispose() => _harness.Dispose();

    private void Event(string headRepository) =>
        _harness.WriteFile(
            "event.json",
            $$"""
            { "action": "synchronize", "number": 9,
              "pull_request": { "number": 9,
                                "head": { "ref": "feature", "repo": { "full_name": "{{headRepository}}" } },
                                "base": { "ref": "main", "repo": { "full_name": "octo-org/service" } } } }
            """
        );

    private sealed class Publishing : PipelineBuild
    {
        // targets may run side by side
        public System.Collections.Concurrent.ConcurrentQueue<string> Ran { get; } = new();

        Target BuildImage =>
            _ => _.UsesPermissions(GitHubActionsPermission.PackagesRead).Executes(() => Ran.Enqueue("BuildImage"));
        Target PushGhcr =>
            _ =>
                _.DependsOn(BuildImage)
                    .UsesPermissions(GitHubActionsPermission.PackagesWrite)
                    .Executes(() => Ran.Enqueue("PushGhcr"));
        Target Comment =>
            _ => _.UsesPermissions(GitHubActionsPermission.PullRequestsWrite).Executes(() => Ran.Enqueue("Comment"));
        Target Default => _ => _.DependsOn(PushGhcr, Comment).Executes(() => Ran.Enqueue("Default"));
    }

    [Fact]
    public async Task A_fork_pull_request_skips_every_target_that_needs_a_write_token_with_one_line_each()
    {
        Event("someone/service");
        var build = new Publishing();

        Assert.Equal(0, await _harness.RunAsync(build));

        Assert.Equal(["BuildImage", "Default"], build.Ran);
        var skipped = _harness
            .Output.Split('\n')
            .Where(l =>
                l.Contains("PushGhcr", StringComparison.Ordinal) && l.Contains("skipped", StringComparison.Ordinal)
            )
            .ToList();
        Assert.Equal(
            "PushGhcr: skipped (a fork pull request gets a read-only token, and this target needs packages: write)",
            skipped[0]
        );
        Assert.Contains(
            "Comment: skipped (a fork pull request gets a read-only token, and this target needs pull-requests: write)",
            _harness.Output
        );
    }

    [Fact]
    public async Task A_pull_request_from_a_branch_of_the_same_repository_runs_everything()
    {
        Event("Octo-Org/Service");
        var build = new Publishing();
        Assert.Equal(0, await _harness.RunAsync(build));
        // PushGhcr and Comment may run side by side
        Assert.Equal(["BuildImage", "Comment", "Default", "PushGhcr"], build.Ran.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_unreadable_payload_on_a_pull_request_is_treated_as_a_fork_and_said_once()
    {
        _harness.WriteFile("event.json", "{ not json");
        var build = new Publishing();
        Assert.Equal(0, await _harness.RunAsync(build));
        Assert.DoesNotContain("PushGhcr", build.Ran);
        Assert.Single(
            _harness.Output.Split('\n'),
            l => l.StartsWith("::warning::GITHUB_EVENT_PATH", StringComparison.Ordinal)
        );
    }

    [Fact]
    public void The_number_and_the_head_come_from_the_payload_and_a_push_needs_none()
    {
        Event("someone/service");
        var env = new Dictionary<string, string>(_harness.Environment) { ["GITHUB_REF"] = "refs/heads/feature" };
        var pull = BuildHost.Detect(env.GetValueOrDefault).GitHubActions!;
        Assert.Equal(9, pull.PullRequestNumber);
        Assert.True(pull.IsForkPullRequest);

        env["GITHUB_EVENT_NAME"] = "push";
        env["GITHUB_EVENT_PATH"] = Path.Combine(_harness.Root, "missing.json");
        var push = BuildHost.Detect(env.GetValueOrDefault).GitHubActions!;
        Assert.False(push.IsForkPullRequest);
        Assert.Null(push.EventProblem);
    }

    [Theory]
    [InlineData(
        "pull_request",
        """{ "pull_request": { "number": 9, "base": { "sha": "b1b1" } }, "before": "ignored" }""",
        "b1b1"
    )]
    [InlineData("push", """{ "before": "a0a0", "after": "c2c2" }""", "a0a0")]
    // a new branch: nothing before it
    [InlineData("push", """{ "before": "0000000000000000000000000000000000000000" }""", null)]
    [InlineData("push", """[ "not", "an", "object" ]""", null)]
    public void The_change_base_is_the_pull_requests_base_or_the_commit_before_a_push(
        string eventName,
        string payload,
        string? expected
    )
    {
        _harness.WriteFile("event.json", payload);
        var env = new Dictionary<string, string>(_harness.Environment) { ["GITHUB_EVENT_NAME"] = eventName };
        Assert.Equal(expected, BuildHost.Detect(env.GetValueOrDefault).GitHubActions!.ChangeBase);
    }
}
