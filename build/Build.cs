using Pipeline.Components.Caching;
using Pipeline.Components.Containers;
using Pipeline.Components.Deploy;
using Pipeline.Components.Packages;
using Pipeline.Components.Quality;
using Pipeline.Components.Registry;
using Pipeline.Components.Release;
using Pipeline.Components.Retention;
using Pipeline.Components.Setup;
using Pipeline.Components.SupplyChain;
using Pipeline.Engine;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Engine.Processes;
using Pipeline.Engine.Targets;
using Pipeline.Engine.Workflows;

/// <summary>
/// This repository's own build, composed from the library's components (we dogfood). The attributes are the seeds'
/// three workflows; <c>./build.sh --generate-workflows</c> writes them to .github/workflows and a test keeps them in
/// step. No attribute lists permissions: each workflow asks for what its targets declare with <c>UsesPermissions</c>.
/// Jobs run on self-hosted runners (<c>[self-hosted, linux, x64]</c>, the default) except pull requests, which run
/// GitHub-hosted.
/// </summary>
[GitHubActions(
    "pr",
    RunsOn = ["ubuntu-24.04"], // GitHub-hosted: code from fork pull requests never runs on our own machines
    OnPullRequestBranches = ["main"],
    OnMergeGroup = true, // the merge queue runs the same required check
    IgnorePaths = ["docs/**"], // a docs-only pull request starts the check, which passes without building
    InvokedTargets = ["Lint", "Test", "Coverage", "BuildImage", "PushGhcr"],
    Arguments = ["--image-target", "dev"],
    ImportSecrets = ["GithubToken"],
    Caches = [
        GitHubActionsCache.NuGet,
        GitHubActionsCache.DotNetSdk,
        GitHubActionsCache.CompiledBuild,
        GitHubActionsCache.SecretScanner,
    ],
    // a merge group has no number: its ref
    ConcurrencyGroup = "pr-${{ github.event.pull_request.number || github.ref }}",
    ConcurrencyCancelInProgress = true,
    TimeoutMinutes = 30,
    PublishArtifacts = true
)]
[GitHubActions(
    "main",
    OnPushBranches = ["main"],
    Arguments = ["--image-target", "prod", "--deploy-environment", "staging"],
    Caches = [GitHubActionsCache.NuGet, GitHubActionsCache.DotNetSdk, GitHubActionsCache.CompiledBuild],
    ConcurrencyGroup = "main",
    Environment = "staging", // secrets and variables are the staging environment's, not the repository's
    TimeoutMinutes = 30,
    PublishArtifacts = true
)] // a fallback archive must leave the runner
// Two jobs, each with only its own token scopes and secrets: image signs and pushes (keyless GAR login: id-token: write
// only here) and hands the pushed digest on to deploy, which verifies with the public key and records the GitHub
// Deployment (deployments: write) on the staging machine itself.
[GitHubActionsJob(
    "main",
    "image",
    InvokedTargets = ["BuildImage", "PushGar"],
    Outputs = ["PushGar.GarPush"],
    ImportSecrets = ["SigningKey"],
    ImportVariables = ["GarWorkloadIdentityProvider", "GarServiceAccount"]
)]
// Deploy runs on its environment's own runner: DEPLOY_STAGING_RUNS_ON / DEPLOY_PRODUCTION_RUNS_ON in deploy/config.env.
[GitHubActionsJob(
    "main",
    "deploy",
    InvokedTargets = ["Deploy"],
    ImportSecrets = ["GithubToken"],
    ImportVariables = ["VerifyKey"]
)]
// The library's pre-release packages (YY.MM.DD-ci.<height>.<sha7>) go to GitHub Packages from every main commit.
[GitHubActionsJob("main", "packages", InvokedTargets = ["PublishPackages"], ImportSecrets = ["GithubToken"])]
[GitHubActions(
    "prod",
    OnPushBranches = ["prod"],
    OnWorkflowDispatch = true,
    OnlyFromBranches = ["prod", "hotfix/*"], // a dispatch from any other branch stops before approval and tests
    Arguments = ["--image-target", "prod", "--deploy-environment", "production"],
    Caches = [
        GitHubActionsCache.NuGet,
        GitHubActionsCache.DotNetSdk,
        GitHubActionsCache.CompiledBuild,
        GitHubActionsCache.SecretScanner,
    ],
    ConcurrencyGroup = "release",
    ConcurrencyCancelInProgress = false,
    Environment = "production",
    TimeoutMinutes = 45,
    PublishArtifacts = true
)]
// release tags (git push with the checkout's credentials: only this job keeps them), signs and pushes; deploy runs on
// the production machine's own runner and gets the verify key, never the signing key.
[GitHubActionsJob(
    "prod",
    "release",
    InvokedTargets = ["Release", "PublishPackages"], // Release attaches the packages of its tag
    ImportSecrets = ["GithubToken", "SigningKey"],
    ImportVariables = ["GarWorkloadIdentityProvider", "GarServiceAccount"]
)]
[GitHubActionsJob(
    "prod",
    "deploy",
    InvokedTargets = ["Deploy"],
    ImportSecrets = ["GithubToken"],
    ImportVariables = ["VerifyKey"]
)]
[GitHubActions(
    "hygiene",
    OnCronSchedule = ["0 3 * * *"],
    OnWorkflowDispatch = true,
    InvokedTargets = ["Prune", "Retention"],
    Arguments = ["--prune-apply", "--retention-apply"],
    ImportSecrets = ["GithubToken"],
    // Retention's GAR cleanup logs in keyless, as PushGar does
    ImportVariables = ["GarWorkloadIdentityProvider", "GarServiceAccount"],
    Caches = [GitHubActionsCache.NuGet, GitHubActionsCache.DotNetSdk, GitHubActionsCache.CompiledBuild],
    ConcurrencyGroup = "hygiene",
    Environment = "staging",
    TimeoutMinutes = 20
)]
internal sealed class Build
    : PipelineBuild,
        ISystemTools,
        ILint,
        ITest,
        ICoverage,
        IBuildImage,
        IPushGhcr,
        IPushGar,
        IPromote,
        IReconcile,
        ILocalRegistry,
        IRelease,
        IPrune,
        IRetention,
        ISupplyChain,
        IPublishPackages,
        IDeploy,
        IRollback,
        IDeployHistory,
        ISharedCache
{
    /// <summary><c>./build.sh</c> alone runs the tests, the command a developer types most.</summary>
    public static int Main(string[] args) => Execute<Build>(args, x => ((ITest)x).Test);

    /// <summary>
    /// This repository's Lint also checks the layout with CSharpier (its version in .config/dotnet-tools.json, the
    /// width max_line_length in .editorconfig), after the component's own checks; <c>build/format.sh</c> fixes what it
    /// reports. dotnet format whitespace accepts CSharpier's output (docs/quality.md), so the two never disagree.
    /// </summary>
    Target ILint.Lint =>
        _ =>
            _.Inherit<ILint>(x => x.Lint)
                .Executes(async () =>
                {
                    var root = new ToolOptions { WorkingDirectory = RootDirectory, Echo = false };
                    await Tool.RunAsync("dotnet", ["tool", "restore"], root);
                    var check = await Tool.RunAsync(
                        "dotnet",
                        ["csharpier", "check", "."],
                        root with
                        {
                            AllowFailure = true,
                        }
                    );
                    var unformatted = (check.StandardOutput + "\n" + check.StandardError)
                        .Split('\n')
                        .Where(line => line.Contains("Was not formatted", StringComparison.Ordinal))
                        .ToList();
                    foreach (var line in unformatted)
                        Log.Error($"CSharpier: {line.Trim()}");
                    if (check.ExitCode != 0)
                        throw new BuildFailure(
                            $"Lint: CSharpier would lay out {unformatted.Count} file(s) differently; "
                                + "fix with ./build/format.sh"
                        );
                    Log.Result("Lint: CSharpier layout checked, nothing to change");
                });

    /// <summary>
    /// A component's target customised the NUKE way: Prune keeps its definition and, in the hygiene job, runs after
    /// Retention (the registries first, then the runner's own disk).
    /// </summary>
    Target IPrune.Prune => _ => _.Inherit<IPrune>(x => x.Prune).After<IRetention>(x => x.Retention);
}
