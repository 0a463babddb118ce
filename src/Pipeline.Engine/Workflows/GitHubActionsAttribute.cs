using Pipeline.Engine.Parameters;

namespace Pipeline.Engine.Workflows;

/// <summary>
/// Declares a GitHub Actions workflow that runs targets of this build, in the spirit of NUKE's <c>[GitHubActions]</c>.
/// <c>./build.sh --generate-workflows</c> writes <c>.github/workflows/&lt;name&gt;.yml</c> from it, and a test fails
/// while the committed file differs, so workflows never drift from the build.
/// <code>
/// [GitHubActions("pr", RunsOn = ["self-hosted"], OnPullRequestBranches = ["main"],
///     InvokedTargets = ["Lint", "Test"], Permissions = [GitHubActionsPermission.PackagesWrite], ImportSecrets =
/// ["GithubToken"])]
/// </code>
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class GitHubActionsAttribute(string name) : Attribute
{
    /// <summary>The file name (<c>&lt;name&gt;.yml</c>) and, unless <see cref="Title"/> is set, the workflow's
    /// <c>name:</c>.</summary>
    public string Name { get; } = name;

    public string? Title { get; set; }

    /// <summary>
    /// Runner labels, all of which must match; written as a list. Default <c>["self-hosted", "linux", "x64"]</c>;
    /// <c>["ubuntu-24.04"]</c> for a GitHub-hosted runner.
    /// </summary>
    public string[] RunsOn { get; set; } = ["self-hosted", "linux", "x64"];

    /// <summary>Run on pull requests against any branch (see <see cref="OnPullRequestBranches"/> to filter).</summary>
    public bool OnPullRequest { get; set; }

    /// <summary>Run on pull requests whose base branch matches (globs allowed).</summary>
    public string[] OnPullRequestBranches { get; set; } = [];

    public string[] OnPushBranches { get; set; } = [];

    public string[] OnPushTags { get; set; } = [];

    /// <summary>
    /// Also run the pull-request checks for GitHub's merge queue (<c>merge_group</c>), so a required check reports on
    /// the queue's merge commit too.
    /// </summary>
    public bool OnMergeGroup { get; set; }

    /// <summary>
    /// Changes only under these globs (shell patterns, <c>*</c> crossing <c>/</c>), e.g. <c>docs/**</c>: a push does
    /// not start the workflow (<c>paths-ignore</c>); a pull request or merge group starts it, and its first step finds
    /// only such changes and skips the rest, so a required check still reports (and passes) on a docs-only pull
    /// request.
    /// </summary>
    public string[] IgnorePaths { get; set; } = [];

    /// <summary>POSIX cron lines in UTC, e.g. <c>"0 3 * * 1"</c>.</summary>
    public string[] OnCronSchedule { get; set; } = [];

    public bool OnWorkflowDispatch { get; set; }

    /// <summary>
    /// Branches (globs) a run may start from, e.g. <c>["prod", "hotfix/*"]</c>: a first job (<c>ref-guard</c>, no
    /// secrets, no environment, no token scopes) refuses any other ref in one line, before any environment approval or
    /// test. Empty: no guard.
    /// </summary>
    public string[] OnlyFromBranches { get; set; } = [];

    /// <summary>
    /// Let <c>pull_request</c> run on self-hosted runners (<see cref="RunsOn"/> with <c>self-hosted</c>). Refused by
    /// default: a pull request's code runs with the runner's access to its machine and neighbours. When set, the
    /// generated file carries a warning comment.
    /// </summary>
    public bool AllowPullRequestOnSelfHosted { get; set; }

    /// <summary>Parameters (member names) offered as optional <c>workflow_dispatch</c> inputs and passed to the build
    /// as environment variables.</summary>
    public string[] OnWorkflowDispatchInputs { get; set; } = [];

    /// <summary>CI-cost mode for this workflow: <c>workflow_dispatch</c> replaces every other trigger (see <see
    /// cref="GitHubActionsDispatchOnlyAttribute"/>).</summary>
    public bool DispatchOnly { get; set; }

    /// <summary>Targets to run, in order: <c>./build.sh Lint Test</c>.</summary>
    public string[] InvokedTargets { get; set; } = [];

    /// <summary>Extra command-line arguments, e.g. <c>["--image-target", "dev"]</c>.</summary>
    public string[] Arguments { get; set; } = [];

    /// <summary>What the job's token may do beyond reading contents; everything else is <c>none</c>.</summary>
    public GitHubActionsPermission[] Permissions { get; set; } = [];

    /// <summary>
    /// <c>concurrency.group</c>. GitHub keeps at most one running and one pending run per group: a newer run replaces
    /// (cancels) an older pending one. E.g. <c>"release"</c>: never two releases at once, so two on the same day cannot
    /// compute the same CalVer tag, but of several started while one runs only the newest waits.
    /// </summary>
    public string? ConcurrencyGroup { get; set; }

    /// <summary>Also cancel the running member of the group when a new one starts; keep false for anything that
    /// publishes.</summary>
    public bool ConcurrencyCancelInProgress { get; set; }

    public GitHubActionsCache[] Caches { get; set; } = [];

    /// <summary>
    /// <see cref="SecretAttribute"/> parameters (member names) passed from secrets as environment variables of the
    /// build step only. With an <see cref="Environment"/>, GitHub reads the environment's secret first: keep signing
    /// and cloud keys there, and import them only in the jobs that use them (<see
    /// cref="GitHubActionsJobAttribute.ImportSecrets"/>).
    /// </summary>
    public string[] ImportSecrets { get; set; } = [];

    /// <summary>
    /// Plain parameters (member names) passed from GitHub configuration variables (<c>${{ vars.KEY }}</c>, the
    /// environment's first) to the build step: public keys, keyless identities (GAR_WORKLOAD_IDENTITY_PROVIDER),
    /// nothing secret.
    /// </summary>
    public string[] ImportVariables { get; set; } = [];

    /// <summary>Job timeout; 0 leaves GitHub's default (360 minutes).</summary>
    public int TimeoutMinutes { get; set; }

    /// <summary>0 fetches the whole history and every tag (versioning from tags needs it).</summary>
    public int FetchDepth { get; set; }

    /// <summary>A GitHub deployment environment (protection rules, environment secrets), e.g.
    /// <c>"production"</c>.</summary>
    public string? Environment { get; set; }

    /// <summary>Upload <c>artifacts/</c> (test results, coverage, image metadata) as a workflow artifact, even when the
    /// build fails.</summary>
    public bool PublishArtifacts { get; set; }

    /// <summary>Days GitHub keeps this workflow's uploads (<c>retention-days</c> on every upload); long enough to
    /// reconcile a fallback push.</summary>
    public int RetentionDays { get; set; } = 14;
}
