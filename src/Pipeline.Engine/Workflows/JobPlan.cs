namespace Pipeline.Engine.Workflows;

/// <summary>
/// One job of a generated workflow, resolved: what it runs and skips, whom it needs, where it runs, what it may do,
/// what it hands on. A single-job workflow is one of these with no needs, skips or outputs.
/// </summary>
internal sealed record JobPlan(string Id, IReadOnlyList<string> Targets)
{
    /// <summary>Targets done by upstream jobs: passed as <c>--skip</c>, so their typed results are restored
    /// instead.</summary>
    public IReadOnlyList<string> Skip { get; init; } = [];

    public IReadOnlyList<string> Needs { get; init; } = [];

    public required IReadOnlyList<string> RunsOn { get; init; }

    public string? Environment { get; init; }

    public int TimeoutMinutes { get; init; }

    public required IReadOnlyList<GitHubActionsCache> Caches { get; init; }

    public required IReadOnlyList<ParameterDescriptor> Secrets { get; init; }

    /// <summary>Plain parameters passed from GitHub configuration variables (<c>${{ vars.KEY }}</c>).</summary>
    public IReadOnlyList<ParameterDescriptor> Variables { get; init; } = [];

    public required IReadOnlyList<string> Arguments { get; init; }

    /// <summary>Leave the job token in <c>.git/config</c> after checkout: only for a job running a target that pushes
    /// with git.</summary>
    public bool PersistCredentials { get; init; }

    /// <summary>Job-level <c>permissions:</c>; null in a single-job workflow, whose permissions are the
    /// workflow's.</summary>
    public SortedDictionary<string, string>? Permissions { get; init; }

    /// <summary>Job outputs (name → expression over the build step's outputs); null when none.</summary>
    public SortedDictionary<string, string>? Outputs { get; init; }

    public JobMatrix? Matrix { get; init; }

    /// <summary>Upstream jobs whose typed results are downloaded into <c>artifacts/results/</c> before the
    /// build.</summary>
    public IReadOnlyList<string> Downloads { get; init; } = [];

    /// <summary>The artifact this job uploads <c>artifacts/results/</c> as, for the jobs that need it; null when none
    /// does.</summary>
    public string? HandOff { get; init; }

    /// <summary>The artifact <c>artifacts/</c> is published as (<see cref="GitHubActionsAttribute.PublishArtifacts"/>);
    /// null when off.</summary>
    public string? PublishedArtifacts { get; init; }
}

/// <summary>
/// A matrix over an upstream job's JSON array output: <c>matrix.&lt;Key&gt;</c> is one element, handed to the build as
/// the environment variable <paramref name="EnvironmentKey"/>; <paramref name="Source"/> is
/// <c>needs.&lt;job&gt;.outputs.&lt;name&gt;</c>.
/// </summary>
internal sealed record JobMatrix(string Key, string Source, string EnvironmentKey, int MaxParallel);
