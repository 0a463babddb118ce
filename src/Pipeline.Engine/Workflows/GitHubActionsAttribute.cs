namespace Pipeline.Engine;

/// <summary>
/// Declares a GitHub Actions workflow that runs targets of this build, in the spirit of NUKE's <c>[GitHubActions]</c>.
/// <c>./build.sh --generate-workflows</c> writes <c>.github/workflows/&lt;name&gt;.yml</c> from it, and a test fails while the
/// committed file differs, so workflows never drift from the build.
/// <code>
/// [GitHubActions("pr", RunsOn = ["self-hosted"], OnPullRequestBranches = ["main"],
///     InvokedTargets = ["Lint", "Test"], Permissions = [GitHubActionsPermission.PackagesWrite], ImportSecrets = ["GithubToken"])]
/// </code>
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class GitHubActionsAttribute(string name) : Attribute
{
    /// <summary>The file name (<c>&lt;name&gt;.yml</c>) and, unless <see cref="Title"/> is set, the workflow's <c>name:</c>.</summary>
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

    /// <summary>Changes only under these globs do not start the workflow (push and pull_request), e.g. <c>docs/**</c>.</summary>
    public string[] IgnorePaths { get; set; } = [];

    /// <summary>POSIX cron lines in UTC, e.g. <c>"0 3 * * 1"</c>.</summary>
    public string[] OnCronSchedule { get; set; } = [];

    public bool OnWorkflowDispatch { get; set; }

    /// <summary>Parameters (member names) offered as optional <c>workflow_dispatch</c> inputs and passed to the build as environment variables.</summary>
    public string[] OnWorkflowDispatchInputs { get; set; } = [];

    /// <summary>CI-cost mode for this workflow: <c>workflow_dispatch</c> replaces every other trigger (see <see cref="GitHubActionsDispatchOnlyAttribute"/>).</summary>
    public bool DispatchOnly { get; set; }

    /// <summary>Targets to run, in order: <c>./build.sh Lint Test</c>.</summary>
    public string[] InvokedTargets { get; set; } = [];

    /// <summary>Extra command-line arguments, e.g. <c>["--image-target", "dev"]</c>.</summary>
    public string[] Arguments { get; set; } = [];

    /// <summary>What the job's token may do beyond reading contents; everything else is <c>none</c>.</summary>
    public GitHubActionsPermission[] Permissions { get; set; } = [];

    /// <summary>
    /// <c>concurrency.group</c>. GitHub keeps at most one running and one pending run per group: a newer run replaces (cancels)
    /// an older pending one. E.g. <c>"release"</c>: never two releases at once, so two on the same day cannot compute the same
    /// CalVer tag, but of several started while one runs only the newest waits.
    /// </summary>
    public string? ConcurrencyGroup { get; set; }

    /// <summary>Also cancel the running member of the group when a new one starts; keep false for anything that publishes.</summary>
    public bool ConcurrencyCancelInProgress { get; set; }

    public GitHubActionsCache[] Caches { get; set; } = [];

    /// <summary><see cref="SecretAttribute"/> parameters (member names) passed from repository secrets as environment variables of the build step only.</summary>
    public string[] ImportSecrets { get; set; } = [];

    /// <summary>Job timeout; 0 leaves GitHub's default (360 minutes).</summary>
    public int TimeoutMinutes { get; set; }

    /// <summary>0 fetches the whole history and every tag (versioning from tags needs it).</summary>
    public int FetchDepth { get; set; }

    /// <summary>A GitHub deployment environment (protection rules, environment secrets), e.g. <c>"production"</c>.</summary>
    public string? Environment { get; set; }

    /// <summary>Upload <c>artifacts/</c> (test results, coverage, image metadata) as a workflow artifact, even when the build fails.</summary>
    public bool PublishArtifacts { get; set; }
}
