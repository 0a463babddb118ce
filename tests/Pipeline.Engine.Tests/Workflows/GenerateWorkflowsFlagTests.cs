using Pipeline.Engine.Parameters;
using Pipeline.Engine.Paths;
using Pipeline.Engine.Targets;
using Pipeline.Engine.Workflows;

namespace Pipeline.Engine.Tests.Workflows;

/// <summary><c>./build.sh --generate-workflows</c> through the real runner: parameters discovered from the build, files
/// written under the root.</summary>
public sealed class GenerateWorkflowsFlagTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Writes_workflows_that_the_check_then_finds_up_to_date()
    {
        var exit = await _harness.RunAsync(new FlagBuild(), "--generate-workflows");

        Assert.True(exit == 0, _harness.Output);
        Assert.Contains("wrote .github/workflows/ci.yml", _harness.Output);
        Assert.Contains("GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}", _harness.ReadFile(".github/workflows/ci.yml"));
        Assert.Empty(
            WorkflowFiles.Check(new AbsolutePath(_harness.Root), WorkflowGenerator.Generate(typeof(FlagBuild)))
        );

        exit = await _harness.RunAsync(new FlagBuild(), "--generate-workflows");
        Assert.Equal(0, exit);
        Assert.Contains("1 workflows under .github/workflows are up to date", _harness.Output);
    }

    [Fact]
    public async Task A_bad_attribute_fails_the_build_with_its_one_line_message()
    {
        var exit = await _harness.RunAsync(new BadFlagBuild(), "--generate-workflows");

        Assert.Equal(2, exit);
        Assert.Contains(
            "[GitHubActions(\"ci\")] on BadFlagBuild: ImportSecrets names 'ImageName', which is not marked [Secret]",
            _harness.Output
        );
        Assert.False(File.Exists(Path.Combine(_harness.Root, ".github/workflows/ci.yml")));
    }

    [GitHubActions(
        "ci",
        OnPullRequest = true,
        RunsOn = ["ubuntu-24.04"],
        InvokedTargets = ["Default"],
        ImportSecrets = [nameof(GithubToken)],
        OnWorkflowDispatchInputs = [nameof(ImageName)]
    )]
    private sealed class FlagBuild : PipelineBuild
    {
        [Parameter("Image name")]
        public string ImageName { get; set; } = "app";

        [Parameter("GitHub token"), Secret]
        public string? GithubToken { get; set; }

        public Target Default => _ => _.Executes(() => { });
    }

    [GitHubActions(
        "ci",
        OnPullRequest = true,
        RunsOn = ["ubuntu-24.04"],
        InvokedTargets = ["Default"],
        ImportSecrets = [nameof(ImageName)]
    )]
    private sealed class BadFlagBuild : PipelineBuild
    {
        [Parameter("Image name")]
        public string ImageName { get; set; } = "app";

        public Target Default => _ => _.Executes(() => { });
    }
}
