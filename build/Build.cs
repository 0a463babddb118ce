using Pipeline.Components.Caching;
using Pipeline.Components.Containers;
using Pipeline.Components.Quality;
using Pipeline.Components.Registry;
using Pipeline.Components.Release;
using Pipeline.Components.Retention;
using Pipeline.Components.Setup;
using Pipeline.Engine;
using static Pipeline.Engine.GitHubActionsPermission;

/// <summary>
/// This repository's own build, composed from the library's components (we dogfood). The attributes are the seeds'
/// three workflows; <c>./build.sh --generate-workflows</c> writes them to .github/workflows and a test keeps them in step.
/// </summary>
[GitHubActions("pr",
    RunsOn = ["self-hosted"],
    OnPullRequestBranches = ["main"],
    IgnorePaths = ["docs/**"],
    InvokedTargets = ["Lint", "Test", "Coverage", "BuildImage", "PushGhcr"],
    Arguments = ["--image-target", "dev"],
    Permissions = [PackagesWrite],
    ImportSecrets = ["GithubToken"],
    Caches = [GitHubActionsCache.NuGet],
    ConcurrencyGroup = "pr-${{ github.event.pull_request.number }}",
    ConcurrencyCancelInProgress = true,
    TimeoutMinutes = 30,
    PublishArtifacts = true)]
[GitHubActions("main",
    RunsOn = ["self-hosted"],
    OnPushBranches = ["main"],
    InvokedTargets = ["BuildImage", "PushGar"],
    Arguments = ["--image-target", "prod"],
    Permissions = [IdTokenWrite],
    ImportSecrets = ["GcpSaKey"],
    Caches = [GitHubActionsCache.NuGet],
    ConcurrencyGroup = "main",
    TimeoutMinutes = 30)]
[GitHubActions("prod",
    RunsOn = ["self-hosted"],
    OnPushBranches = ["prod"],
    OnWorkflowDispatch = true,
    InvokedTargets = ["Release"],
    Arguments = ["--image-target", "prod"],
    Permissions = [ContentsWrite, IdTokenWrite],
    ImportSecrets = ["GithubToken", "GcpSaKey"],
    Caches = [GitHubActionsCache.NuGet],
    ConcurrencyGroup = "release",
    ConcurrencyCancelInProgress = false,
    Environment = "production",
    TimeoutMinutes = 45,
    PublishArtifacts = true)]
[GitHubActions("hygiene",
    RunsOn = ["self-hosted"],
    OnCronSchedule = ["0 3 * * *"],
    OnWorkflowDispatch = true,
    InvokedTargets = ["Prune", "Retention"],
    Arguments = ["--apply"],
    Permissions = [PackagesWrite],
    ImportSecrets = ["GithubToken", "GcpSaKey"],
    ConcurrencyGroup = "hygiene",
    TimeoutMinutes = 20)]
internal sealed class Build : PipelineBuild,
    ISystemTools, ILint, ITest, ICoverage,
    IBuildImage, IPushGhcr, IPushGar, IPromote, IReconcile, ILocalRegistry,
    IRelease, IPrune, IRetention, ISharedCache
{
    /// <summary><c>./build.sh</c> alone runs the tests, the command a developer types most.</summary>
    public static int Main(string[] args) => Execute<Build>(args, x => ((ITest)x).Test);
}
