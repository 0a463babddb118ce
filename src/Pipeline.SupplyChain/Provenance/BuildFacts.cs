namespace Pipeline.SupplyChain.Provenance;

/// <summary>
/// What provenance says about a build: who built (builder id), from what (repository, commit, ref), how (workflow,
/// run, the non-secret parameters) and on top of what (resolved base images). Filled from GitHub Actions' context or
/// the local checkout by the component; secrets never enter it.
/// </summary>
public sealed record BuildFacts
{
    /// <summary>The builder's identity: the workflow file at its ref on GitHub Actions, <c>local://host</c>
    /// elsewhere.</summary>
    public required string BuilderId { get; init; }

    /// <summary>The source repository as a URL, e.g. <c>https://github.com/owner/repo</c>.</summary>
    public required string Repository { get; init; }

    public required string Commit { get; init; }

    /// <summary>The git ref built, e.g. <c>refs/heads/main</c> or <c>refs/tags/v26.12.1.1</c>.</summary>
    public required string Ref { get; init; }

    /// <summary>Workflow file path (<c>.github/workflows/main.yml</c>) on GitHub Actions.</summary>
    public string? Workflow { get; init; }

    /// <summary>Where the run can be seen (<c>https://github.com/o/r/actions/runs/ID/attempts/N</c>) or a local run
    /// id.</summary>
    public string? InvocationId { get; init; }

    /// <summary>Build parameters that are not secrets (image name, target, build args, tags).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Base images as resolved by digest (<c>docker.io/library/debian</c> → <c>sha256:…</c>).</summary>
    public IReadOnlyList<(string Name, string Digest)> BaseImages { get; init; } = [];

    public DateTimeOffset StartedOn { get; init; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? FinishedOn { get; init; }
}
