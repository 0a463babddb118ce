using Pipeline.Components.Quality;
using Pipeline.Components.Registry;
using Pipeline.Components.SupplyChain;
using Pipeline.Engine;
using Pipeline.Git;
using Pipeline.Git.Cli;
using Pipeline.GitHub;
using Pipeline.GitHub.Notes;
using Pipeline.GitHub.Releases;

namespace Pipeline.Components.Release;

/// <summary>
/// Release: the GitHub Release of the CalVer tag (created or updated, so re-runs are safe), with notes from the commits
/// and merged pull requests since the previous CalVer tag, and the files targets declare as products attached.
/// Draft first, assets, then publish (what immutable releases require). Without a GitHub token it writes the same
/// release to <c>artifacts/releases/&lt;tag&gt;/</c> (notes.md, assets/, release.json).
/// </summary>
public interface IRelease : ITagCalVer
{
    [Parameter("Leave the GitHub Release as a draft")]
    bool ReleaseDraft => this.Get(() => ReleaseDraft, false);

    [Parameter("Mark the GitHub Release as a pre-release")]
    bool ReleasePrerelease => this.Get(() => ReleasePrerelease, false);

    [Parameter("More files to attach, as globs relative to the root (targets' Produces(...) are attached anyway)")]
    string[] ReleaseAssets => this.Get(() => ReleaseAssets, []);

    [Parameter("Targets whose declared products (Produces) are attached: by default the coverage summary and the image push records (digests)")]
    string[] ReleaseAssetTargets => this.Get(() => ReleaseAssetTargets, ["Coverage", "PushGar"]);

    AbsolutePath ReleasesDirectory => ArtifactsDirectory / "releases";

    Target Release => _ => _
        .Description("Publishes the GitHub Release of the CalVer tag (or artifacts/releases/<tag>/ without a token)")
        .DependsOn<ITagCalVer>(x => x.TagCalVer)
        .TryDependsOn<ILint>(x => x.Lint)
        .TryDependsOn<ICoverage>(x => x.Coverage)
        .TryDependsOn<IPushGar>(x => x.PushGar)
        .Uses(SharedResources.GitIndex)
        .HasSideEffects("publishes the GitHub Release (or writes artifacts/releases/<tag>/ without a token)")
        .Preflight(c => ReleasePreflight.Inputs(this, c))
        .PreflightBeforeSideEffects(c => ReleasePreflight.GitHubAsync(this, c))
        .UsesPermissions(GitHubActionsPermission.ContentsWrite, GitHubActionsPermission.PullRequestsRead) // the release; its notes read merged pull requests
        .Executes(async () =>
        {
            var tag = ReleaseTag?.Tag ?? throw new BuildFailure("Release needs its CalVer tag, and TagCalVer did not produce one");
            await CheckReleaseFlowAsync("Release");
            if (ShippingGate.ImageOfThisRun(this) is { } image) await ShippingGate.EnsureVerifiedAsync(this, image, "Release"); // signed, with provenance, before anything is published
            var git = ReleaseRepository;
            var commit = await EnsureTagAsync(git, tag);

            var repository = ResolveRepository(git);
            var client = IsPublishing ? GitHubClients.Create(GithubToken!, Parse(() => GitHubApiAddress.Parse(GithubApiUrl, "--github-api-url"))) : null;
            var notes = await ComposeNotesAsync(git, tag, commit, repository, client);

            var products = DeclaredProducts.Of(this).Where(p => ReleaseAssetTargets.Contains(p.Target, StringComparer.OrdinalIgnoreCase));
            var context = BuildContext.Current;
            var assets = ReleaseAssetCollector.Collect(RootDirectory, products, ReleaseAssets, context.StartedAt, context.HasSucceeded);
            var request = new ReleaseRequest(tag, tag, notes, commit, ReleaseDraft, ReleasePrerelease, assets);

            IReleasePublisher publisher = client is not null
                ? new GitHubReleasePublisher(client, repository ?? throw new BuildFailure("Release: set GITHUB_REPOSITORY (owner/name) or --github-repository; the origin remote is not a GitHub URL"), Log.Logger)
                : new LocalReleasePublisher(ReleasesDirectory, logger: Log.Logger);
            ReleaseRecord record;
            using (var bar = Progress.Start($"Release {tag}: assets", assets.Count))
            {
                try
                {
                    record = await publisher.PublishAsync(request, new Progress<UploadProgress>(p => bar.Report(p.Done, p.Total, p.Asset)));
                }
                catch (Exception e) when (e is GitHubApiFailure or ArgumentException or FileNotFoundException)
                {
                    throw new BuildFailure($"Release: {e.Message}", inner: e);
                }
            }

            StepOutputs.Set("release-url", record.Location);
            if (client is not null) Log.Info($"Release {tag}: {record.Location} ({(record.Created ? "created" : "updated")}, {(record.Draft ? "draft" : "published")}, {assets.Count} asset(s))");
            var location = client is null ? $"`{Path.GetRelativePath(RootDirectory, record.Location)}` (local record: no GitHub token)" : record.Location;
            Summary.Append($"**Release** `{tag}`: {location}; assets: {(assets.Count == 0 ? "none" : string.Join(", ", assets.Select(a => $"`{a.Name}`")))}");
        });

    /// <summary>Release never runs without its tag: it must exist here, and on the remote when publishing.</summary>
    private async Task<string> EnsureTagAsync(GitRepository git, string tag)
    {
        var commit = await git.ResolveAsync("refs/tags/" + tag)
            ?? throw new BuildFailure($"Release: tag {tag} does not exist in this repository; run TagCalVer first");
        if (IsPublishing)
        {
            // "<tag>*" also matches the peeled "<tag>^{}" line, which names the commit of an annotated tag.
            var remote = await git.ListRemoteTagsAsync(GitRemote, tag + "*");
            if (!remote.TryGetValue(tag, out var onRemote) || onRemote.CommitId != commit)
            {
                throw new BuildFailure($"Release: tag {tag} is not on {GitRemote} at {commit[..7]}; a GitHub Release would create or mismatch it, so nothing was published");
            }
        }

        return commit;
    }

    internal GitHubRepositoryName? ResolveRepository(GitRepository git)
    {
        if (!string.IsNullOrWhiteSpace(GithubRepository)) return Parse(() => GitHubRepositoryName.Parse(GithubRepository, "--github-repository"));
        if (Host.GitHubActions is { Repository.Length: > 0 } actions) return Parse(() => GitHubRepositoryName.Parse(actions.Repository, "GITHUB_REPOSITORY"));
        var url = git.Cli.RunAsync(["remote", "get-url", GitRemote], check: false).GetAwaiter().GetResult();
        return url.Succeeded ? GitHubRepositoryName.FromRemoteUrl(url.StandardOutput.Trim()) : null;
    }

    private async Task<string> ComposeNotesAsync(GitRepository git, string tag, string commit, GitHubRepositoryName? repository, Octokit.IGitHubClient? client)
    {
        var previousTag = ReleaseTag?.PreviousTag;
        var previousCommit = ReleaseTag?.PreviousCommit;
        if (previousCommit is not null && await git.ResolveAsync(previousCommit) is null)
        {
            // Tag on the remote only (fresh CI clone): fetch that one tag to bound the history.
            try
            {
                await git.FetchAsync(GitRemote, $"+refs/tags/{previousTag}:refs/tags/{previousTag}");
            }
            catch (GitException e)
            {
                Log.Warn($"Release notes: could not fetch {previousTag} ({e.Message}); listing recent history instead");
            }
        }

        var from = previousCommit is not null && await git.ResolveAsync(previousCommit) is not null ? previousCommit : null;
        var commits = await git.LogAsync(from, commit);
        var pulls = client is not null && repository is not null ? new GitHubPullRequestSource(client, repository) : null;
        var server = Host.GitHubActions?.ServerUrl ?? "https://github.com";
        var input = new ReleaseNotesInput(tag, from is null ? null : previousTag, from is null ? commits.Take(200).ToList() : commits,
            repository is null ? null : $"{server.TrimEnd('/')}/{repository}", MainBranch);
        return await new ReleaseNotesComposer(pulls, Log.Logger).ComposeAsync(input);
    }

    private static T Parse<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (FormatException e)
        {
            throw new BuildFailure(e.Message);
        }
    }
}
