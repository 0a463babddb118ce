using Pipeline.Engine.Targets;
using Pipeline.Engine.Workflows;
using static Pipeline.Engine.Workflows.GitHubActionsPermission;

namespace Pipeline.Engine.Tests.Workflows;

/// <summary>Small builds for the generator's security rules: keyless id-token, git credentials, ref guard, pull
/// requests on self-hosted.</summary>
internal static class SecurityBuilds
{
    public static readonly IReadOnlyList<ParameterDescriptor> Parameters =
    [
        .. SeedBuild.Parameters,
        new("IdentityProvider", "IDENTITY_PROVIDER", typeof(string), "Workload identity provider", false),
        new("ServiceKey", "SERVICE_KEY", typeof(string), "Long-lived cloud key", true),
        new("VerifyKey", "VERIFY_KEY", typeof(string), "Public key", false),
    ];
}

/// <summary>push logs in keylessly (its job imports the provider), tag pushes with git, ship only verifies.</summary>
[GitHubActions(
    "release",
    RunsOn = ["ubuntu-24.04"],
    OnPushBranches = ["main"],
    OnlyFromBranches = ["main", "hotfix/*"],
    Environment = "production",
    PublishArtifacts = true,
    RetentionDays = 5
)]
[GitHubActionsJob("release", "push", InvokedTargets = ["Push"], ImportVariables = ["IdentityProvider"])]
[GitHubActionsJob("release", "tag", InvokedTargets = ["Tag"])]
[GitHubActionsJob(
    "release",
    "ship",
    InvokedTargets = ["Ship"],
    ImportVariables = ["VerifyKey"],
    ImportSecrets = ["GithubToken"]
)]
internal class KeylessBuild : PipelineBuild
{
    public Target Push => _ => _.UsesIdTokenWhen("IdentityProvider").Executes(() => { });

    public Target Tag => _ => _.DependsOn(Push).UsesPermissions(ContentsWrite).PushesWithGit().Executes(() => { });

    public Target Ship => _ => _.DependsOn(Tag).UsesPermissions(DeploymentsWrite).Executes(() => { });
}

/// <summary>The same targets logging in with a long-lived key: no job gets an OIDC token.</summary>
[GitHubActions(
    "keyed",
    RunsOn = ["ubuntu-24.04"],
    OnPushBranches = ["main"],
    InvokedTargets = ["Ship"],
    ImportSecrets = ["ServiceKey"]
)]
internal sealed class KeyedBuild : KeylessBuild;

/// <summary>Pull requests on a self-hosted runner without opting in.</summary>
[GitHubActions("pr", RunsOn = ["self-hosted", "linux"], OnPullRequestBranches = ["main"], InvokedTargets = ["Lint"])]
internal class SelfHostedPullRequestBuild : PipelineBuild
{
    public Target Lint => _ => _.Executes(() => { });
}

/// <summary>The same, opted in: generated, with a warning in the file.</summary>
[GitHubActions(
    "pr",
    RunsOn = ["self-hosted", "linux"],
    OnPullRequestBranches = ["main"],
    OnMergeGroup = true,
    IgnorePaths = ["docs/**", "*.md"],
    InvokedTargets = ["Lint"],
    AllowPullRequestOnSelfHosted = true,
    Caches = [GitHubActionsCache.CompiledBuild],
    PublishArtifacts = true
)]
internal sealed class OptedInSelfHostedPullRequestBuild : PipelineBuild
{
    public Target Lint => _ => _.Executes(() => { });
}

/// <summary>A guard glob that is not a branch glob.</summary>
[GitHubActions(
    "prod",
    RunsOn = ["ubuntu-24.04"],
    OnWorkflowDispatch = true,
    OnlyFromBranches = ["prod; rm -rf /"],
    InvokedTargets = ["Lint"]
)]
internal sealed class BadGuardBuild : PipelineBuild
{
    public Target Lint => _ => _.Executes(() => { });
}

/// <summary>Ship talks to production's own machine; push does not; pinned names its runner itself.</summary>
[GitHubActions("release", RunsOn = ["ubuntu-24.04"], OnPushBranches = ["main"], Environment = "production")]
[GitHubActionsJob("release", "push", InvokedTargets = ["Push"])]
[GitHubActionsJob("release", "ship", InvokedTargets = ["Ship"])]
[GitHubActionsJob("release", "pinned", InvokedTargets = ["Pinned"], RunsOn = ["self-hosted", "blue"])]
internal sealed class EnvironmentRunnerBuild : PipelineBuild
{
    public Target Push => _ => _.Executes(() => { });

    public Target Ship => _ => _.DependsOn(Push).RunsOnEnvironmentRunner().Executes(() => { });

    public Target Pinned => _ => _.DependsOn(Ship).RunsOnEnvironmentRunner().Executes(() => { });
}
