using Pipeline.Engine.Execution;
using Pipeline.Engine.Paths;
using Pipeline.Engine.Workflows;
using Pipeline.Testing;

namespace Pipeline.Engine.Tests.Workflows;

/// <summary>DEPLOY_&lt;ENV&gt;_RUNS_ON in deploy/config.env: the jobs that talk to an environment's machine run on its
/// runner.</summary>
public sealed class EnvironmentRunnerTests : IDisposable
{
    private readonly TempFolder _root = new("pipeline-runners-");

    public void Dispose() => _root.Dispose();

    [Fact]
    public void A_deploy_job_runs_on_its_environments_labels_from_config_env_and_the_others_keep_theirs()
    {
        var jobs = Jobs(
            "# production's own runner\nDEPLOY_PRODUCTION_RUNS_ON=self-hosted, "
                + "linux,x64,production\nDEPLOY_STAGING_RUNS_ON=self-hosted,staging\n"
        );

        Assert.Equal(["self-hosted", "linux", "x64", "production"], RunsOn(jobs, "ship"));
        Assert.Equal(["ubuntu-24.04"], RunsOn(jobs, "push")); // it never talks to production's machine
        Assert.Equal(["self-hosted", "blue"], RunsOn(jobs, "pinned")); // the attribute's RunsOn wins
    }

    [Fact]
    public void Without_the_key_the_deploy_job_keeps_the_workflows_runner() =>
        Assert.Equal(["ubuntu-24.04"], RunsOn(Jobs("DEPLOY_STAGING_RUNS_ON=self-hosted,staging\n"), "ship"));

    [Theory]
    [InlineData("DEPLOY_PRODUCTION_RUNS_ON=self-hosted,,production\n")]
    [InlineData("DEPLOY_PRODUCTION_RUNS_ON=\"self-hosted,${{ github.actor }}\"\n")]
    public void Labels_that_are_no_labels_are_one_line_naming_the_key_and_its_line(string config)
    {
        var failure = Assert.Throws<BuildFailure>(() => Jobs("# first\n" + config));
        Assert.StartsWith("DEPLOY_PRODUCTION_RUNS_ON (deploy/config.env:2): '", failure.Message);
        Assert.Contains("is not a list of runner labels", failure.Message);
        Assert.DoesNotContain('\n', failure.Message);
    }

    private Dictionary<object, object> Jobs(string config)
    {
        Directory.CreateDirectory(Path.Combine(_root.Path, "deploy"));
        File.WriteAllText(Path.Combine(_root.Path, "deploy", "config.env"), config);
        var yaml = WorkflowGenerator
            .Generate(
                typeof(EnvironmentRunnerBuild),
                SecurityBuilds.Parameters,
                EnvironmentRunners.Load(new AbsolutePath(_root.Path))
            )
            .Single()
            .Yaml;
        return (Dictionary<object, object>)WorkflowSchema.Parse(yaml)["jobs"];
    }

    private static List<string> RunsOn(Dictionary<object, object> jobs, string job) =>
        ((List<object>)((Dictionary<object, object>)jobs[job])["runs-on"]).Cast<string>().ToList();
}
