using Pipeline.Engine.Execution;
using Pipeline.Engine.Hosts;
using Pipeline.Engine.Output;
using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Tests;

public sealed class GitHubActionsTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private sealed class Reporting : PipelineBuild
    {
        Target Default =>
            _ => _.DependsOn(Compile).Executes(() => throw new BuildFailure("Found 2 problems", "src/App.cs", 42));
        Target Compile =>
            _ =>
                _.Executes(() =>
                {
                    Log.Warn("50% done, still: going\r\nnext", "src/App.cs", 7);
                    StepOutputs.Set("digest", "sha256:abc");
                });
    }

    [Fact]
    public async Task Targets_become_groups_failures_become_annotations_and_outputs_reach_GITHUB_OUTPUT()
    {
        var outputFile = Path.Combine(_harness.Root, "out.txt");
        var summaryFile = Path.Combine(_harness.Root, "summary.md");
        _harness.Environment["GITHUB_ACTIONS"] = "true";
        _harness.Environment["RUNNER_ENVIRONMENT"] = "self-hosted";
        _harness.Environment["GITHUB_OUTPUT"] = outputFile;
        _harness.Environment["GITHUB_STEP_SUMMARY"] = summaryFile;
        _harness.Environment["GITHUB_REF"] = "refs/pull/17/merge";

        Assert.Equal(1, await _harness.RunAsync(new Reporting()));

        Assert.Contains("on GitHub Actions (self-hosted)", _harness.Output);
        Assert.Contains("::group::Compile", _harness.Output);
        Assert.Contains("::endgroup::", _harness.Output);
        Assert.Contains("::warning file=src/App.cs,line=7::50%25 done, still: going%0D%0Anext", _harness.Output);
        Assert.Contains("::error file=src/App.cs,line=42::Default: Found 2 problems", _harness.Output);
        Assert.Equal("digest=sha256:abc\n", File.ReadAllText(outputFile));
        var summary = File.ReadAllText(summaryFile);
        Assert.Contains("| Compile | ✅ succeeded |", summary);
        Assert.Contains("| Default | ❌ failed |", summary);
    }

    [Theory]
    [InlineData("refs/pull/17/merge", "pull_request", 17)]
    [InlineData("refs/heads/main", "push", null)]
    public void The_pull_request_number_is_read_from_the_ref(string gitRef, string eventName, int? number)
    {
        var env = new Dictionary<string, string>
        {
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_REF"] = gitRef,
            ["GITHUB_EVENT_NAME"] = eventName,
        };
        var host = BuildHost.Detect(env.GetValueOrDefault);
        Assert.Equal(HostKind.GitHubActions, host.Kind);
        Assert.False(host.IsSelfHosted);
        Assert.Equal(number, host.GitHubActions!.PullRequestNumber);
    }

    [Fact]
    public void Other_CI_is_plain_and_a_terminal_is_a_terminal()
    {
        Assert.Equal(
            HostKind.GenericCi,
            BuildHost.Detect(new Dictionary<string, string> { ["CI"] = "true" }.GetValueOrDefault).Kind
        );
        Assert.Equal(HostKind.Terminal, BuildHost.Detect(_ => null).Kind);
    }

    [Theory]
    [InlineData("GITHUB_OUTPUT", "missing/out.txt", "its folder does not exist")]
    [InlineData("GITHUB_STEP_SUMMARY", ".", "is a folder, not a file")]
    public async Task An_unwritable_output_or_summary_file_stops_the_run_before_any_target_with_one_line(
        string variable,
        string relative,
        string problem
    )
    {
        var path = Path.Combine(_harness.Root, relative);
        _harness.Environment["GITHUB_ACTIONS"] = "true";
        _harness.Environment[variable] = path;

        Assert.Equal(2, await _harness.RunAsync(new Reporting()));

        Assert.Contains(
            $"error: {variable} ({path}){(problem.StartsWith("its", StringComparison.Ordinal) ? ":" : "")} {problem}",
            _harness.Output
        );
        Assert.DoesNotContain("::group::Compile", _harness.Output); // nothing ran
        Assert.DoesNotContain("unexpected failure", _harness.Output);
    }
}
