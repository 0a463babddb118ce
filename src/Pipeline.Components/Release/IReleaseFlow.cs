using Pipeline.Components.Shared;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Parameters;
using Pipeline.Git;
using Pipeline.Git.Flow;

namespace Pipeline.Components.Release;

/// <summary>
/// The release model shared by <see cref="ITagCalVer"/> and <see cref="IRelease"/>: releases are cut on the release
/// branch (a release PR merging main into it, or a hotfix merged into it), and a hotfix must also be in main.
/// "Publishing" means a GitHub token is present (CI); without one (the local profile on a laptop) the tag stays local,
/// the release is written under artifacts/releases/, and the flow rules only warn.
/// </summary>
public interface IReleaseFlow : IHazBranches, IHazGitHub
{
    [Parameter("Git remote the release tag is read from and pushed to")]
    string GitRemote => this.Get(() => GitRemote, "origin");

    [Parameter("Fail the release when a hotfix commit on the release branch is missing from main (default: warn)")]
    bool RequireBackport => this.Get(() => RequireBackport, false);

    [Parameter(
        "Refuse TagCalVer/Release off the release branch (default: when publishing; the local profile only warns)"
    )]
    bool? EnforceReleaseFlow => this.Get(() => EnforceReleaseFlow);

    /// <summary>True when this run publishes (tag pushed, GitHub Release); false for a local rehearsal.</summary>
    bool IsPublishing => !string.IsNullOrEmpty(GithubToken);

    GitRepository ReleaseRepository => ReleaseGit.Open(RootDirectory);

    /// <summary>Applies the flow rules; throws <see cref="BuildFailure"/> with the reason when the run must not
    /// release.</summary>
    Task<ReleaseFlowVerdict> CheckReleaseFlowAsync(string target) => ReleaseFlowCheck.RunAsync(this, target);
}
