namespace Pipeline.Git.Flow;

public sealed record ReleaseFlowOptions
{
    /// <summary>The only branch releases are cut from (hotfixes reach it by merge too).</summary>
    public string ReleaseBranch { get; init; } = "prod";

    /// <summary>Where every hotfix must also land (the backport check).</summary>
    public string MainBranch { get; init; } = "main";

    public string Remote { get; init; } = "origin";

    /// <summary>Refuse the release when a hotfix commit is missing from main; otherwise the missing backport is
    /// reported as a warning.</summary>
    public bool FailOnMissingBackport { get; init; }

    /// <summary>Fetch main (and unshallow) from the remote first, so a CI checkout with one commit can
    /// answer.</summary>
    public bool Fetch { get; init; } = true;
}
