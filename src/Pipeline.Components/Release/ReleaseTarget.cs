using Pipeline.Components.Services;
using Pipeline.Components.SupplyChain;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Engine.Results;
using Pipeline.Git;
using Pipeline.Git.Cli;
using Pipeline.GitHub;
using Pipeline.GitHub.Notes;
using Pipeline.GitHub.Releases;

namespace Pipeline.Components.Release;

/// <summary>What the Release target does.</summary>
internal static class ReleaseTarget
{
    public static async Task RunAsync(IRelease build)
    {
        if (SeparateReleases.Apply(build) && build.ServiceReleaseTags is { } serviceTags)
        {
            await ReleaseServicesAsync(build, serviceTags);
            return;
        }

        var tag =
            build.ReleaseTag
            ?? throw new BuildFailure("Release needs its CalVer tag, and TagCalVer did not produce one");
        await build.CheckReleaseFlowAsync("Release");
        await GateImagesAsync(build, service: null); // signed, with provenance and SBOM, before anything is published
        var published = await PublishAsync(build, tag, service: null);
        StepOutputs.Set("release-url", published.Location);
        build.SetResult(() => build.PublishedReleases, [published]);
    }

    /// <summary>Services released separately: one release per service tagged in this run, each with its own notes,
    /// image and records.</summary>
    private static async Task ReleaseServicesAsync(IRelease build, IReadOnlyList<ServiceReleaseTag> tags)
    {
        if (tags.Count == 0)
        {
            Log.Info("Release: no service was tagged in this run; nothing to release");
            build.SetResult(() => build.PublishedReleases, []);
            return;
        }

        await build.CheckReleaseFlowAsync("Release");
        // every service's image, before the first of the releases is written
        await GateImagesAsync(build, service: null);
        var primary = PrimaryService.Of(build, tags, t => t.Service);
        var published = new List<PublishedRelease>();
        foreach (var tag in tags)
        {
            var release = await PublishAsync(build, tag.Tag, tag.Service);
            published.Add(release);
            StepOutputs.Set($"{tag.Service}-release-url", release.Location);
            if (tag == primary)
                StepOutputs.Set("release-url", release.Location);
        }

        build.SetResult(() => build.PublishedReleases, published);
    }

    /// <summary>
    /// Every image the release ships is verified (signature, provenance naming this repository and ref, signed SBOM):
    /// each service's release push of this run, and the single image of a one-image build. One refused image stops the
    /// release before anything is written. Images held by a fallback until Reconcile are not in a registry to read:
    /// said, not gated.
    /// </summary>
    internal static async Task GateImagesAsync(IRelease build, string? service)
    {
        var images = new List<string>();
        foreach (var push in ReleaseImages.Of(build, service))
        {
            if (push.Push.FellBack)
            {
                Log.Warn(
                    $"Release: {push.Service}'s image {push.Push.Digest} is held by the "
                        + $"{push.Push.Destination} fallback; it is verified when Reconcile moves it"
                );
                continue;
            }

            images.Add($"{Pipeline.Registry.Reference.Parse(push.Push.References[0]).Name}@{push.Push.Digest}");
        }

        if (images.Count == 0 && ShippingGate.ImageOfThisRun(build) is { } single)
            images.Add(single);
        foreach (var image in images.Distinct(StringComparer.Ordinal))
        {
            await ShippingGate.EnsureVerifiedAsync(build, image, "Release", BuildContext.Current.Cancellation);
        }
    }

    /// <summary>Publishes the release of one tag (the repository's, or one service's); returns where it is and how it
    /// went.</summary>
    private static async Task<PublishedRelease> PublishAsync(IRelease build, ReleaseTag releaseTag, string? service)
    {
        var tag = releaseTag.Tag;
        var git = build.ReleaseRepository;
        var commit = await EnsureTagAsync(build, git, tag);

        var repository = ResolveRepository(build, git);
        var client = build.IsPublishing
            ? GitHubClients.Create(
                build.GithubToken!,
                Parse(() => GitHubApiAddress.Parse(build.GithubApiUrl, "--github-api-url"))
            )
            : null;
        // A service's own release: only the changes to its inputs (goreleaser's monorepo changelogs do the same with a
        // folder).
        var inputs = service is null
            ? null
            : (build as IServices)?.ServiceDefinitions.FirstOrDefault(d => d.Name == service)?.Inputs;
        var notes = await ComposeNotesAsync(build, git, releaseTag, commit, repository, client, inputs);
        var images = ReleaseImages.Of(build, service);
        if (images.Count > 0)
            notes = notes.TrimEnd() + "\n\n" + ReleaseImages.Markdown(images);

        var products = DeclaredProducts
            .Of(build)
            .Where(p => build.ReleaseAssetTargets.Contains(p.Target, StringComparer.OrdinalIgnoreCase));
        var context = BuildContext.Current;
        var assets = ReleaseAssetCollector.Collect(
            build.RootDirectory,
            products,
            build.ReleaseAssets,
            context.StartedAt,
            context.HasSucceeded
        );
        if (service is not null)
            assets = ReleaseImages.OwnAssets(build, assets, service);
        var request = new ReleaseRequest(
            tag,
            tag,
            notes,
            commit,
            build.ReleaseDraft,
            build.ReleasePrerelease,
            assets,
            images.Count == 0 ? null : ReleaseImages.AsData(images)
        );

        IReleasePublisher publisher = client is not null
            ? new GitHubReleasePublisher(
                client,
                repository
                    ?? throw new BuildFailure(
                        "Release: set GITHUB_REPOSITORY (owner/name) or "
                            + "--github-repository; the origin remote is not a GitHub URL"
                    ),
                Log.Logger
            )
            : new LocalReleasePublisher(build.ReleasesDirectory, logger: Log.Logger);
        ReleaseRecord record;
        using (var bar = Progress.Start($"Release {tag}: assets", assets.Count))
        {
            try
            {
                record = await publisher.PublishAsync(
                    request,
                    new Progress<UploadProgress>(p => bar.Report(p.Done, p.Total, p.Asset)),
                    BuildContext.Current.Cancellation
                );
            }
            catch (OperationCanceledException) when (BuildContext.Current.CancelledBy is not null)
            {
                Log.Warn(
                    $"Release {tag}: interrupted before it was published; "
                        + $"{(client is null ? "the folder has no release.json" : "the draft stays unpublished")} "
                        + $"and the next run completes it"
                );
                throw;
            }
            catch (Exception e) when (e is GitHubApiFailure or ArgumentException or FileNotFoundException)
            {
                throw new BuildFailure($"Release: {e.Message}", inner: e);
            }
        }

        if (client is not null)
            Log.Info(
                $"Release {tag}: {record.Location} ({(record.Created ? "created" : "updated")}, "
                    + $"{(record.Draft ? "draft" : "published")}, {assets.Count} asset(s))"
            );
        var location = client is null
            ? $"`{Path.GetRelativePath(build.RootDirectory, record.Location)}` (local record: no GitHub token)"
            : record.Location;
        var shipped =
            images.Count == 0
                ? ""
                : $"; images: {string.Join(", ", images.Select(i => $"`{i.Service}` `{i.Push.Digest}`"))}";
        Summary.Append(
            $"**Release** `{tag}`: {location}; assets: "
                + $"{(assets.Count == 0 ? "none" : string.Join(", ", assets.Select(a => $"`{a.Name}`")))}"
                + $"{shipped}"
        );
        // The step output and the result keep the location as before: the page's URL, or the record's absolute folder.
        return new PublishedRelease(
            service,
            tag,
            record.Location,
            client is not null,
            record.Created,
            record.Draft,
            record.Prerelease,
            assets.Count
        );
    }

    /// <summary>The GitHub repository to publish to: --github-repository, else GITHUB_REPOSITORY, else the remote's
    /// URL.</summary>
    internal static GitHubRepositoryName? ResolveRepository(IRelease build, GitRepository git)
    {
        if (!string.IsNullOrWhiteSpace(build.GithubRepository))
            return Parse(() => GitHubRepositoryName.Parse(build.GithubRepository, "--github-repository"));
        if (build.Host.GitHubActions is { Repository.Length: > 0 } actions)
            return Parse(() => GitHubRepositoryName.Parse(actions.Repository, "GITHUB_REPOSITORY"));
        var url = git.Cli.RunAsync(["remote", "get-url", build.GitRemote], check: false).GetAwaiter().GetResult();
        return url.Succeeded ? GitHubRepositoryName.FromRemoteUrl(url.StandardOutput.Trim()) : null;
    }

    /// <summary>Release never runs without its tag: it must exist here, and on the remote when publishing.</summary>
    private static async Task<string> EnsureTagAsync(IRelease build, GitRepository git, string tag)
    {
        var commit =
            await git.ResolveAsync("refs/tags/" + tag)
            ?? throw new BuildFailure($"Release: tag {tag} does not exist in this repository; run TagCalVer first");
        if (build.IsPublishing)
        {
            // "<tag>*" also matches the peeled "<tag>^{}" line, which names the commit of an annotated tag.
            var remote = await git.ListRemoteTagsAsync(build.GitRemote, tag + "*");
            if (!remote.TryGetValue(tag, out var onRemote) || onRemote.CommitId != commit)
            {
                throw new BuildFailure(
                    $"Release: tag {tag} is not on {build.GitRemote} at {commit[..7]}; a "
                        + $"GitHub Release would create or mismatch it, so nothing was published"
                );
            }
        }

        return commit;
    }

    private static async Task<string> ComposeNotesAsync(
        IRelease build,
        GitRepository git,
        ReleaseTag releaseTag,
        string commit,
        GitHubRepositoryName? repository,
        Octokit.IGitHubClient? client,
        IReadOnlyList<string>? inputs
    )
    {
        var tag = releaseTag.Tag;
        var previousTag = releaseTag.PreviousTag;
        var previousCommit = releaseTag.PreviousCommit;
        if (previousCommit is not null && await git.ResolveAsync(previousCommit) is null)
        {
            // Tag on the remote only (fresh CI clone): fetch that one tag to bound the history.
            try
            {
                await git.FetchAsync(build.GitRemote, $"+refs/tags/{previousTag}:refs/tags/{previousTag}");
            }
            catch (GitException e)
            {
                Log.Warn($"Release notes: could not fetch {previousTag} ({e.Message}); listing recent history instead");
            }
        }

        var from =
            previousCommit is not null && await git.ResolveAsync(previousCommit) is not null ? previousCommit : null;
        var commits = await git.LogAsync(from, commit);
        var pulls =
            client is not null && repository is not null ? new GitHubPullRequestSource(client, repository) : null;
        var server = build.Host.GitHubActions?.ServerUrl ?? "https://github.com";
        var relevant = inputs is null ? null : await git.CommitsTouchingAsync(from, commit, inputs);
        var input = new ReleaseNotesInput(
            tag,
            from is null ? null : previousTag,
            from is null ? commits.Take(200).ToList() : commits,
            repository is null ? null : $"{server.TrimEnd('/')}/{repository}",
            build.MainBranch,
            relevant
        );
        var notes = await new ReleaseNotesComposer(pulls, Log.Logger).ComposeAsync(input);
        // A separate service's release lists its own changes only; the library's API belongs to the repository's
        // release.
        var api = inputs is null ? await PublicApiChanges.DescribeAsync(git, from, commit) : null;
        return api is null ? notes : notes.TrimEnd() + "\n\n" + api;
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
