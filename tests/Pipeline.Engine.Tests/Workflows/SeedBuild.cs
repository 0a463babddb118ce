using Pipeline.Engine.Output;
using Pipeline.Engine.Targets;
using Pipeline.Engine.Workflows;
using static Pipeline.Engine.Workflows.GitHubActionsPermission;

namespace Pipeline.Engine.Tests.Workflows;

/// <summary>
/// The seeds' three workflows as a build declares them: pr (self-hosted: lint, test, coverage, dev image, GHCR pr-N),
/// main (prod image to GAR staging-&lt;sha&gt;), prod (CalVer tag, GAR, GitHub release, serialised).
/// </summary>
[GitHubActions(
    "pr",
    RunsOn = ["self-hosted"],
    AllowPullRequestOnSelfHosted = true, // the seeds' own choice: their pull requests come from one team, never forks
    OnPullRequestBranches = ["main"],
    IgnorePaths = ["docs/**"],
    InvokedTargets = ["Lint", "Test", "Coverage", "BuildImage", "PushGhcr"],
    Arguments = ["--image-target", "dev"],
    ImportSecrets = ["GithubToken"],
    Caches = [GitHubActionsCache.NuGet, GitHubActionsCache.Uv],
    ConcurrencyGroup = "pr-${{ github.event.pull_request.number }}",
    ConcurrencyCancelInProgress = true,
    TimeoutMinutes = 30,
    PublishArtifacts = true
)]
[GitHubActions(
    "main",
    RunsOn = ["self-hosted"],
    OnPushBranches = ["main"],
    InvokedTargets = ["BuildImage", "PushGar"],
    Arguments = ["--image-target", "prod"],
    ImportSecrets = ["GcpSaKey"],
    Caches = [GitHubActionsCache.NuGet],
    ConcurrencyGroup = "main",
    TimeoutMinutes = 30
)]
[GitHubActions(
    "prod",
    RunsOn = ["self-hosted"],
    OnPushBranches = ["prod"],
    OnWorkflowDispatch = true,
    InvokedTargets = ["TagCalVer", "PushGar", "Release"],
    ImportSecrets = ["GithubToken", "GcpSaKey"],
    Caches = [GitHubActionsCache.NuGet],
    ConcurrencyGroup = "release",
    ConcurrencyCancelInProgress = false,
    Environment = "production",
    TimeoutMinutes = 45
)]
internal class SeedBuild : PipelineBuild
{
    public static readonly IReadOnlyList<ParameterDescriptor> Parameters =
    [
        new("ImageName", "IMAGE_NAME", typeof(string), "Image name, without registry", false),
        new("ImageTarget", "IMAGE_TARGET", typeof(string), "Containerfile stage to build", false),
        new("Apply", "APPLY", typeof(bool), "Delete for real (retention)", false),
        new("RetentionDays", "RETENTION_DAYS", typeof(int?), "Days an ephemeral image lives", false),
        new("Verbosity", "VERBOSITY", typeof(Verbosity), "Log detail", false),
        new("GithubToken", "GITHUB_TOKEN", typeof(string), "GitHub token", true),
        new("GcpSaKey", "GCP_SA_KEY", typeof(string), "GCP service account key JSON", true),
    ];

    public Target Lint => _ => _.Executes(() => { });

    public Target Test => _ => _.Executes(() => { });

    public Target Coverage => _ => _.Executes(() => { });

    public Target BuildImage => _ => _.Executes(() => { });

    public Target PushGhcr => _ => _.UsesPermissions(PackagesWrite).Executes(() => { });

    public Target PushGar => _ => _.Executes(() => { });

    public Target TagCalVer => _ => _.UsesPermissions(ContentsWrite).Executes(() => { });

    public Target Release =>
        _ => _.DependsOn(TagCalVer).UsesPermissions(ContentsWrite, PullRequestsRead).Executes(() => { });

    public Target Retention => _ => _.Executes(() => { });
}

/// <summary>A target that reads the OIDC token (keyless cloud login): only the workflows that can reach it get
/// <c>id-token: write</c>.</summary>
[GitHubActions(
    "deploy",
    OnPushBranches = ["main"],
    InvokedTargets = ["Smoke"],
    Caches = [GitHubActionsCache.DotNetSdk, GitHubActionsCache.CompiledBuild, GitHubActionsCache.SecretScanner]
)]
[GitHubActions("lint", OnPushBranches = ["main"], InvokedTargets = ["Lint"])]
internal sealed class OidcBuild : SeedBuild
{
    public Target KeylessLogin => _ => _.UsesPermissions(IdTokenWrite).Executes(() => { });

    public Target Smoke => _ => _.DependsOn(KeylessLogin).Executes(() => { });
}

/// <summary>The same build in CI-cost mode: every workflow is started by hand only.</summary>
[GitHubActionsDispatchOnly]
internal sealed class DispatchOnlySeedBuild : SeedBuild;

/// <summary>Every option at once, including a nightly schedule, tag pushes and typed dispatch inputs.</summary>
[GitHubActions(
    "nightly",
    Title = "Nightly retention",
    RunsOn = ["self-hosted", "linux", "x64"],
    OnCronSchedule = ["0 3 * * *", "*/30 6-18 * * 1-5"],
    OnPushTags = ["v*"],
    OnWorkflowDispatchInputs = ["Apply", "RetentionDays", "Verbosity", "ImageName"],
    InvokedTargets = ["Retention"],
    Arguments = ["--message", "it's a \"quoted\" value: yes #1"],
    Permissions = [PackagesWrite, PackagesRead, PullRequestsRead],
    ImportSecrets = ["GithubToken"],
    FetchDepth = 1
)]
internal sealed class KitchenSinkBuild : SeedBuild;
