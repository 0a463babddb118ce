using Pipeline.Engine.Workflows;

namespace Pipeline.Engine.Tests.Workflows;

/// <summary>A workflow split into jobs by <see cref="GitHubActionsJobAttribute"/>s: the YAML shape GitHub
/// reads.</summary>
public class MultiJobWorkflowTests
{
    private static readonly string Yaml = WorkflowGenerator
        .Generate(typeof(ServicesBuild), ServicesBuild.Parameters)
        .Single()
        .Yaml;
    private static readonly Dictionary<object, object> Doc = WorkflowSchema.Parse(Yaml);

    private static Dictionary<object, object> Map(object node, params string[] path)
    {
        foreach (var key in path)
            node = ((Dictionary<object, object>)node)[key];
        return (Dictionary<object, object>)node;
    }

    private static Dictionary<object, object> Job(string id) => Map(Doc, "jobs", id);

    private static List<Dictionary<object, object>> Steps(string job) =>
        ((List<object>)Job(job)["steps"]).Cast<Dictionary<object, object>>().ToList();

    private static Dictionary<object, object> BuildStep(string job) => Steps(job).Single(s => s.ContainsKey("run"));

    private static List<object> Strings(params string[] values) => [.. values];

    [Fact]
    public async Task The_workflow_validates_against_GitHubs_schema()
    {
        var errors = await WorkflowSchema.ErrorsAsync(Yaml);
        Assert.True(errors.Count == 0, string.Join("\n", errors) + "\n" + Yaml);
    }

    [Fact]
    public void Jobs_are_written_upstream_first_and_need_the_jobs_holding_what_their_targets_depend_on_or_run_after()
    {
        Assert.Equal(["plan", "quality", "image", "deploy"], Map(Doc, "jobs").Keys);
        Assert.False(Job("plan").ContainsKey("needs"));
        Assert.False(Job("quality").ContainsKey("needs"));
        // BuildImage depends on Test; the matrix comes from plan
        Assert.Equal(Strings("plan", "quality"), Job("image")["needs"]);
        Assert.Equal(Strings("image"), Job("deploy")["needs"]); // Deploy runs after Push: ordering crosses jobs too
    }

    [Fact]
    public void Each_job_runs_its_own_targets_and_skips_what_upstream_jobs_did()
    {
        Assert.Equal("./build.sh Plan --image-target prod", BuildStep("plan")["run"]);
        Assert.Equal("./build.sh Lint Test --image-target prod", BuildStep("quality")["run"]);

        // SystemTools belongs to no job: it runs in every job whose own targets need it (image), never skipped there.
        Assert.Equal("./build.sh BuildImage Push --skip Lint Test Plan --image-target prod", BuildStep("image")["run"]);
        Assert.Equal(
            "./build.sh Deploy --skip SystemTools Lint Test Plan BuildImage "
                + "Push --image-target prod --deploy-environment staging",
            BuildStep("deploy")["run"]
        );
    }

    [Fact]
    public void Typed_results_and_step_outputs_become_job_outputs()
    {
        Assert.Equal(
            new Dictionary<object, object>
            {
                ["tests-passed"] = "${{ steps.build.outputs.tests-passed }}",
                ["totals"] = "${{ steps.build.outputs['Test.Totals'] }}",
            },
            Map(Job("quality"), "outputs")
        );
        Assert.Equal(
            new Dictionary<object, object>
            {
                ["planned-services"] = "${{ steps.build.outputs['Plan.PlannedServices'] }}",
            },
            Map(Job("plan"), "outputs")
        );
        Assert.Equal("build", BuildStep("plan")["id"]);
        Assert.False(BuildStep("deploy").ContainsKey("id"));
    }

    [Fact]
    public void The_matrix_comes_from_an_upstream_jobs_JSON_output_and_reaches_the_build_as_its_parameter()
    {
        var strategy = Map(Job("image"), "strategy");
        Assert.Equal(false, strategy["fail-fast"]);
        Assert.Equal(2, Convert.ToInt32(strategy["max-parallel"]));
        Assert.Equal(
            new Dictionary<object, object> { ["services"] = "${{ fromJSON(needs.plan.outputs.planned-services) }}" },
            Map(strategy, "matrix")
        );
        Assert.Equal(
            "needs.plan.outputs.planned-services != '[]' && needs.plan.outputs.planned-services != ''",
            Job("image")["if"]
        );

        // Through the environment, not spliced into the script.
        Assert.Equal("${{ matrix.services }}", Map(BuildStep("image"), "env")["SERVICES"]);
        Assert.DoesNotContain("matrix", (string)BuildStep("image")["run"]);
    }

    [Fact]
    public void Upstream_jobs_hand_on_their_results_and_downstream_jobs_download_them_before_the_build()
    {
        var handOn = Map(
            Steps("quality").Single(s => (string?)s.GetValueOrDefault("name") == "Hand on results"),
            "with"
        );
        Assert.Equal(14, Convert.ToInt32(handOn["retention-days"], System.Globalization.CultureInfo.InvariantCulture));
        handOn.Remove("retention-days");
        Assert.Equal(
            new Dictionary<object, object>
            {
                ["name"] = "services-quality-results",
                ["path"] = "artifacts/results/",
                ["if-no-files-found"] = "warn",
            },
            handOn
        );
        Assert.Equal(
            "services-image-results-${{ strategy.job-index }}",
            Map(Steps("image").Single(s => (string?)s.GetValueOrDefault("name") == "Hand on results"), "with")["name"]
        );
        // nobody needs deploy
        Assert.DoesNotContain(Steps("deploy"), s => (string?)s.GetValueOrDefault("name") == "Hand on results");

        var steps = Steps("deploy");
        var downloads = steps
            .Where(s => (string?)s.GetValueOrDefault("uses") == ActionPins.DownloadArtifact.Reference)
            .ToList();
        Assert.Equal(
            ["services-plan-results*", "services-quality-results*", "services-image-results*"],
            downloads.Select(d => Map(d, "with")["pattern"])
        );
        Assert.All(downloads, d => Assert.Equal("artifacts/results", Map(d, "with")["path"]));
        Assert.All(downloads, d => Assert.Equal(true, Map(d, "with")["merge-multiple"]));
        Assert.True(steps.IndexOf(downloads[^1]) < steps.IndexOf(BuildStep("deploy")));

        // Published artifacts get one name per job and per matrix leg (v4 artifacts cannot be overwritten).
        Assert.Equal("services-deploy-artifacts", Map(steps[^1], "with")["name"]);
        Assert.Equal("services-image-artifacts-${{ strategy.job-index }}", Map(Steps("image")[^1], "with")["name"]);
    }

    [Fact]
    public void Permissions_are_per_job_from_its_own_targets_and_the_workflow_grants_nothing()
    {
        Assert.Empty(Map(Doc, "permissions"));
        Assert.Equal(new Dictionary<object, object> { ["contents"] = "read" }, Map(Job("quality"), "permissions"));
        Assert.Equal(
            new Dictionary<object, object> { ["contents"] = "read", ["packages"] = "write" },
            Map(Job("image"), "permissions")
        );
        Assert.Equal(
            new Dictionary<object, object> { ["contents"] = "read", ["deployments"] = "write" },
            Map(Job("deploy"), "permissions")
        );
    }

    [Fact]
    public void Job_settings_default_to_the_workflows_and_override_it_when_set()
    {
        Assert.Equal(Strings("ubuntu-24.04"), Job("plan")["runs-on"]);
        Assert.Equal(Strings("self-hosted", "linux", "x64"), Job("image")["runs-on"]);
        Assert.Equal(20, Convert.ToInt32(Job("image")["timeout-minutes"]));
        Assert.Equal(30, Convert.ToInt32(Job("deploy")["timeout-minutes"]));
        Assert.Equal("staging", Job("deploy")["environment"]);
        Assert.False(Job("image").ContainsKey("environment"));

        // Caches = []
        Assert.DoesNotContain(Steps("plan"), s => (string?)s.GetValueOrDefault("uses") == ActionPins.Cache.Reference);
        Assert.Contains(Steps("deploy"), s => (string?)s.GetValueOrDefault("name") == "Cache NuGet");
        Assert.False(BuildStep("quality").ContainsKey("env")); // ImportSecrets = []: no token for lint and tests
        Assert.Equal("${{ secrets.GITHUB_TOKEN }}", Map(BuildStep("deploy"), "env")["GITHUB_TOKEN"]);
        Assert.Equal(
            new Dictionary<object, object> { ["group"] = "services", ["cancel-in-progress"] = false },
            Map(Doc, "concurrency")
        );
    }

    [Fact]
    public void Output_is_deterministic_whatever_order_reflection_returns_the_attributes_in()
    {
        Assert.Equal(
            Yaml,
            WorkflowGenerator.Generate(typeof(ServicesBuild), ServicesBuild.Parameters.Reverse().ToList()).Single().Yaml
        );
    }
}
