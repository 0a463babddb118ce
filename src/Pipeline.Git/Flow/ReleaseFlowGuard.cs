using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Git.Cli;

namespace Pipeline.Git.Flow;

/// <summary>
/// The release model's rules: releases are cut only on the release branch (a release PR merging main into it, or a
/// hotfix merged into it), and a hotfix's commits must also be in main, or the next release from main would undo the
/// fix.
/// </summary>
public sealed class ReleaseFlowGuard(GitRepository repository, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <param name="branchHint">The branch as CI names it (<c>GITHUB_REF_NAME</c>): checkouts are often
    /// detached.</param>
    public async Task<ReleaseFlowVerdict> CheckAsync(ReleaseFlowOptions options, string? branchHint = null)
    {
        var branch = string.IsNullOrWhiteSpace(branchHint) ? await repository.CurrentBranchAsync() : branchHint.Trim();
        if (branch is null)
        {
            return new ReleaseFlowVerdict(
                null,
                $"HEAD is detached: releases are cut from the '{options.ReleaseBranch}' "
                    + $"branch; check it out (or run in CI on a push to it)",
                [],
                null
            );
        }

        if (!string.Equals(branch, options.ReleaseBranch, StringComparison.Ordinal))
        {
            return new ReleaseFlowVerdict(
                branch,
                $"releases are cut only from '{options.ReleaseBranch}' (or a hotfix "
                    + $"merged into it), not from '{branch}': merge '{options.MainBranch}' "
                    + $"into '{options.ReleaseBranch}' through a release pull request",
                [],
                null
            );
        }

        var mainRef = await LocateMainAsync(options);
        if (mainRef is null)
        {
            var message =
                $"cannot check hotfix backports: branch '{options.MainBranch}' "
                + $"is neither local nor on remote '{options.Remote}'";
            if (options.FailOnMissingBackport)
                return new ReleaseFlowVerdict(branch, message, [], null);
            _logger.LogWarning("{Message}", message);
            return new ReleaseFlowVerdict(branch, null, [], null);
        }

        var missing = await repository.CommitsMissingFromAsync(mainRef, "HEAD");
        if (missing.Count == 0)
            return new ReleaseFlowVerdict(branch, null, [], mainRef);

        var list =
            string.Join(", ", missing.Take(5).Select(c => $"{c.ShortSha} \"{c.Subject}\""))
            + (missing.Count > 5 ? $" and {missing.Count - 5} more" : "");
        var report =
            $"hotfix not backported: {missing.Count} commit(s) on "
            + $"'{options.ReleaseBranch}' are missing from '{options.MainBranch}': {list}";
        if (options.FailOnMissingBackport)
            return new ReleaseFlowVerdict(branch, report, missing, mainRef);
        _logger.LogWarning("{Report}", report);
        return new ReleaseFlowVerdict(branch, null, missing, mainRef);
    }

    private async Task<string?> LocateMainAsync(ReleaseFlowOptions options)
    {
        var remoteRef = $"refs/remotes/{options.Remote}/{options.MainBranch}";
        if (options.Fetch && await repository.HasRemoteAsync(options.Remote))
        {
            try
            {
                if (await repository.IsShallowAsync())
                    await repository.UnshallowAsync(options.Remote);
                await repository.FetchAsync(options.Remote, $"+refs/heads/{options.MainBranch}:{remoteRef}");
            }
            catch (GitException e)
            {
                _logger.LogWarning(
                    "Could not fetch '{Main}' from {Remote} ({Reason}); comparing with what is already here",
                    options.MainBranch,
                    options.Remote,
                    e.Message
                );
            }
        }

        if (await repository.ResolveAsync(remoteRef) is not null)
            return remoteRef;
        var localRef = $"refs/heads/{options.MainBranch}";
        return await repository.ResolveAsync(localRef) is not null ? localRef : null;
    }
}
