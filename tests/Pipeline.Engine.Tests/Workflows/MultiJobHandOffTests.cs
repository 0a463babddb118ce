using Pipeline.Engine.Workflows;

namespace Pipeline.Engine.Tests.Workflows;

/// <summary>
/// The generated multi-job workflow, run job by job with the real build (see <see cref="LocalWorkflowRun"/>): later
/// jobs restore earlier jobs' typed results from the downloaded <c>artifacts/results/</c> and do not run their targets
/// again.
/// </summary>
public sealed class MultiJobHandOffTests : IDisposable
{
    private readonly LocalWorkflowRun _run = new();

    public void Dispose() => _run.Dispose();

    private List<string> Ran(string job, string? leg = null) =>
        ((ServicesBuild)_run.Runs.Single(r => r.Job == job && r.Leg == leg).Build).Ran;

    private string Output(string job, string? leg = null) => _run.Runs.Single(r => r.Job == job && r.Leg == leg).Output;

    [Fact]
    public async Task Each_job_does_its_own_work_once_and_reads_upstream_results_from_the_downloaded_artifacts()
    {
        var yaml = WorkflowGenerator.Generate(typeof(ServicesBuild), ServicesBuild.Parameters).Single().Yaml;

        await _run.RunAsync(yaml, () => new ServicesBuild());

        Assert.Equal(["Plan"], Ran("plan"));
        // Lint and Test may run side by side
        Assert.Equal(["Lint", "SystemTools", "Test"], Ran("quality").Order(StringComparer.Ordinal));

        // Job outputs carry typed results as JSON (and plain step outputs as they are); the matrix is built from one.
        Assert.Equal("[\"api\",\"web\"]", _run.JobOutputs["plan"]["planned-services"]);
        Assert.Equal("{\"passed\":3,\"failed\":0}", _run.JobOutputs["quality"]["totals"]);
        Assert.Equal("3", _run.JobOutputs["quality"]["tests-passed"]);

        // One image leg per planned service, each given its service as the Services parameter. Test is not rerun: its
        // result comes from quality's artifact. SystemTools, which no job names, runs where the image is built.
        foreach (var service in new[] { "api", "web" })
        {
            Assert.Equal(
                ["SystemTools", $"BuildImage {service} prod after 3 passed tests", $"Push {service}"],
                Ran("image", service)
            );
            Assert.Contains(
                "Test.Totals: restored from artifacts/results/Test.Totals.json (Test skipped by --skip)",
                Output("image", service)
            );
        }

        // Deploy only runs after Push (no DependsOn), yet reads the pushed image: --skip restores targets it does not
        // reach.
        var deploy = Assert.Single(Ran("deploy"));
        Assert.Matches("^Deploy (api|web) to staging after 3 passed tests$", deploy);
        Assert.Contains(
            "Push.Pushed: restored from artifacts/results/Push.Pushed.json (Push skipped by --skip)",
            Output("deploy")
        );

        Assert.Equal(
            [
                "services-deploy-artifacts",
                "services-image-artifacts-0",
                "services-image-artifacts-1",
                "services-image-results-0",
                "services-image-results-1",
                "services-plan-artifacts",
                "services-plan-results",
                "services-quality-artifacts",
                "services-quality-results",
            ],
            _run.Artifacts.Order(StringComparer.Ordinal)
        );
    }

    [GitHubActions("services", OnPushBranches = ["main"])]
    [GitHubActionsJob("services", "plan", InvokedTargets = ["Plan"], Outputs = ["Plan.PlannedServices"])]
    [GitHubActionsJob(
        "services",
        "image",
        InvokedTargets = ["Push"],
        MatrixFrom = "plan.planned-services",
        MatrixParameter = "Services"
    )]
    private sealed class NothingPlanned : ServicesTargets
    {
        protected override IReadOnlyList<string> ServicesToPlan => [];
    }

    [Fact]
    public async Task An_empty_plan_skips_the_matrix_job_instead_of_failing_the_workflow()
    {
        var yaml = WorkflowGenerator.Generate(typeof(NothingPlanned), ServicesBuild.Parameters).Single().Yaml;

        await _run.RunAsync(yaml, () => new NothingPlanned());

        Assert.Equal("[]", _run.JobOutputs["plan"]["planned-services"]);
        Assert.DoesNotContain(_run.Runs, r => r.Job == "image");
        Assert.Single(_run.Runs);
    }
}
