using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Git.Flow;

namespace Pipeline.Components.Release;

/// <summary>The release-flow rules behind <see cref="IReleaseFlow.CheckReleaseFlowAsync"/>: the branch may release,
/// hotfix commits are backported.</summary>
internal static class ReleaseFlowCheck
{
    public static async Task<ReleaseFlowVerdict> RunAsync(IReleaseFlow build, string target)
    {
        var enforce = build.EnforceReleaseFlow ?? build.IsPublishing;
        var options = new ReleaseFlowOptions
        {
            ReleaseBranch = build.ReleaseBranch,
            MainBranch = build.MainBranch,
            Remote = build.GitRemote,
            FailOnMissingBackport = build.RequireBackport && enforce,
        };
        // Push events name the branch; pull_request events name "<n>/merge", which is rightly refused.
        var hint = build.Host.GitHubActions is { RefName.Length: > 0 } actions ? actions.RefName : null;
        var verdict = await new ReleaseFlowGuard(build.ReleaseRepository, Log.Logger).CheckAsync(options, hint);
        if (!verdict.Allowed)
        {
            if (enforce)
                throw new BuildFailure($"{target} refused: {verdict.Refusal}");
            Log.Warn($"{target}: {verdict.Refusal} (not enforced: local rehearsal, nothing is pushed or published)");
        }

        return verdict;
    }
}
