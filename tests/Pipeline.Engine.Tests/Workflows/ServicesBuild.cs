using Pipeline.Engine.Output;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Results;
using Pipeline.Engine.Targets;
using Pipeline.Engine.Workflows;
using static Pipeline.Engine.Workflows.GitHubActionsPermission;

namespace Pipeline.Engine.Tests.Workflows;

public sealed record TestTotals(int Passed, int Failed);

public sealed record PushedImage(string Service, string Digest);

/// <summary>
/// A small many-service build split into four jobs: quality (Lint, Test), plan (which services), image (one matrix leg
/// per planned service: BuildImage, Push) and deploy (after the pushes). SystemTools is set-up no job names: it runs
/// wherever a job's own targets need it. Every target records that it ran, so a test sees what each job did and did not
/// redo.
/// </summary>
[GitHubActions(
    "services",
    OnPushBranches = ["main"],
    Arguments = ["--image-target", "prod"],
    ImportSecrets = ["GithubToken"],
    Caches = [GitHubActionsCache.NuGet],
    ConcurrencyGroup = "services",
    TimeoutMinutes = 30,
    PublishArtifacts = true
)]
[GitHubActionsJob(
    "services",
    "quality",
    InvokedTargets = ["Lint", "Test"],
    Outputs = ["Test.Totals", "tests-passed"],
    ImportSecrets = []
)]
[GitHubActionsJob(
    "services",
    "plan",
    InvokedTargets = ["Plan"],
    Outputs = ["Plan.PlannedServices"],
    RunsOn = ["ubuntu-24.04"],
    Caches = []
)]
[GitHubActionsJob(
    "services",
    "image",
    InvokedTargets = ["BuildImage", "Push"],
    MatrixFrom = "plan.planned-services",
    MatrixParameter = "Services",
    MaxParallel = 2,
    TimeoutMinutes = 20
)]
[GitHubActionsJob(
    "services",
    "deploy",
    InvokedTargets = ["Deploy"],
    Environment = "staging",
    Arguments = ["--deploy-environment", "staging"]
)]
internal sealed class ServicesBuild : ServicesTargets;

/// <summary>The targets of <see cref="ServicesBuild"/> without any workflow, for builds that declare other
/// splits.</summary>
internal abstract class ServicesTargets : PipelineBuild
{
    public static readonly IReadOnlyList<ParameterDescriptor> Parameters =
    [
        new("Services", "SERVICES", typeof(string[]), "Services to build", false),
        new("ImageTarget", "IMAGE_TARGET", typeof(string), "Containerfile stage to build", false),
        new("DeployEnvironment", "DEPLOY_ENVIRONMENT", typeof(string), "Where to deploy", false),
        new("GithubToken", "GITHUB_TOKEN", typeof(string), "GitHub token", true),
    ];

    [Parameter("Services to build")]
    public string[] Services { get; set; } = [];

    [Parameter("Containerfile stage to build")]
    public string ImageTarget { get; set; } = "dev";

    [Parameter("Where to deploy")]
    public string DeployEnvironment { get; set; } = "local";

    [Parameter("GitHub token"), Secret]
    public string? GithubToken { get; set; }

    /// <summary>What ran in this process, in order, with what it read.</summary>
    public List<string> Ran { get; } = [];

    public TestTotals? Totals => this.Result(() => Totals);

    public IReadOnlyList<string>? PlannedServices => this.Result(() => PlannedServices);

    public PushedImage? Pushed => this.Result(() => Pushed);

    /// <summary>What Plan finds affected.</summary>
    protected virtual IReadOnlyList<string> ServicesToPlan => ["api", "web"];

    public Target SystemTools => _ => _.Executes(() => Record("SystemTools"));

    public Target Lint => _ => _.DependsOn(SystemTools).Executes(() => Record("Lint"));

    public Target Test =>
        _ =>
            _.DependsOn(SystemTools)
                .Produces(() => Totals)
                .Executes(() =>
                {
                    Record("Test");
                    this.SetResult(() => Totals, new TestTotals(3, 0));
                    StepOutputs.Set("tests-passed", "3");
                });

    public Target Plan =>
        _ =>
            _.Produces(() => PlannedServices)
                .Executes(() =>
                {
                    Record("Plan");
                    this.SetResult(() => PlannedServices, ServicesToPlan);
                });

    public Target BuildImage =>
        _ =>
            _.DependsOn(SystemTools, Test)
                .Executes(() =>
                    Record($"BuildImage {string.Join(",", Services)} {ImageTarget} after {Totals?.Passed} passed tests")
                );

    public Target Push =>
        _ =>
            _.DependsOn(BuildImage)
                .UsesPermissions(PackagesWrite)
                .Produces(() => Pushed)
                .Executes(() =>
                {
                    Record($"Push {string.Join(",", Services)}");
                    this.SetResult(() => Pushed, new PushedImage(Services.Single(), "sha256:" + Services.Single()));
                });

    public Target Deploy =>
        _ =>
            _.After(Push)
                .UsesPermissions(DeploymentsWrite)
                .Executes(() =>
                    Record($"Deploy {Pushed?.Service} to {DeployEnvironment} after {Totals?.Passed} passed tests")
                );

    private void Record(string what)
    {
        lock (Ran)
            Ran.Add(what);
    }
}
