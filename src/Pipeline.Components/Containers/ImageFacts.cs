using Pipeline.Components.Services;
using Pipeline.Components.Shared;
using Pipeline.Containers.Tags;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Git;

namespace Pipeline.Components.Containers;

/// <summary>
/// The facts the tag policy and the OCI labels need, from GitHub Actions' context when running there,
/// else from the local git checkout. Credentials in a remote URL never reach a label.
/// </summary>
internal sealed record ImageFacts(TagPolicyInput TagInput, string Sha, string? SourceUrl)
{
    public static async Task<ImageFacts> GatherAsync(IBuildImage build, ImageWork work)
    {
        // A service released on its own carries its own tag; every other image the release version hook's.
        var releaseTag = work.Service is { TagPrefix: not null } service
            ? (build as IHazReleaseTag)?.ReleaseTagFor(service.Name)
            : build.ReleaseVersion;
        if (build.Host.GitHubActions is { } gh && !string.IsNullOrEmpty(gh.Sha))
        {
            var source = string.IsNullOrEmpty(gh.Repository) ? null : $"{gh.ServerUrl.TrimEnd('/')}/{gh.Repository}";
            TagPolicyInput input;
            if (releaseTag is not null)
            {
                input = new TagPolicyInput(TagEvent.Release, gh.Sha, gh.RefName, CalVer: releaseTag);
            }
            else if (gh.EventName is "pull_request" or "pull_request_target" || gh.PullRequestNumber is not null)
            {
                input = new TagPolicyInput(TagEvent.PullRequest, gh.Sha, gh.RefName, gh.PullRequestNumber);
            }
            else if (gh.Ref.StartsWith("refs/tags/", StringComparison.Ordinal))
            {
                input = new TagPolicyInput(TagEvent.Release, gh.Sha, CalVer: gh.RefName);
            }
            else
            {
                input = new TagPolicyInput(TagEvent.Branch, gh.Sha, gh.RefName);
            }

            return new ImageFacts(input, gh.Sha, source);
        }

        var repository = new GitRepository(build.RootDirectory, Log.Logger);
        string sha;
        try
        {
            sha = await repository.HeadCommitAsync();
        }
        catch (Exception e)
        {
            throw new BuildFailure(
                $"cannot read the commit for image tags and labels ({e.Message.Split('\n')[0]}); "
                    + $"run inside a git checkout with a commit, or set --image-tags",
                inner: e
            );
        }

        var branch = await repository.CurrentBranchAsync() ?? "detached";
        var origin = await repository.Cli.RunAsync(["remote", "get-url", "origin"], check: false);
        var url = origin.Succeeded ? PublicUrl(origin.StandardOutput.Trim()) : null;
        var local = releaseTag is not null
            ? new TagPolicyInput(TagEvent.Release, sha, branch, CalVer: releaseTag)
            : new TagPolicyInput(TagEvent.Branch, sha, branch);
        return new ImageFacts(local, sha, url);
    }

    /// <summary>
    /// A remote URL fit for a public label: credentials dropped, scp-style <c>git@host:owner/repo</c> and <c>.git</c>
    /// turned into <c>https://host/owner/repo</c>. Unknown shapes are left out rather than risk leaking something.
    /// </summary>
    internal static string? PublicUrl(string remote)
    {
        if (string.IsNullOrWhiteSpace(remote))
            return null;
        var text = remote.Trim();
        if (!text.Contains("://", StringComparison.Ordinal) && text.Contains('@') && text.Contains(':'))
        {
            var at = text.IndexOf('@');
            var colon = text.IndexOf(':', at);
            text = $"https://{text[(at + 1)..colon]}/{text[(colon + 1)..]}";
        }

        if (
            !Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("https" or "http" or "ssh" or "git")
        )
            return null;
        var path = uri.AbsolutePath.TrimEnd('/');
        if (path.EndsWith(".git", StringComparison.Ordinal))
            path = path[..^4];
        return $"https://{uri.Host}{path}";
    }
}
