using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Octokit;

namespace Pipeline.GitHub.Releases;

/// <summary>
/// Creates or updates the GitHub Release of a tag, safely re-runnable:
/// find (drafts included) → create as draft or update → upload assets → publish.
/// The draft-first order is what GitHub's immutable releases require (no assets can be added once published).
/// <para>Asset rule: a same-named asset with the same content (SHA-256) is kept. On a draft, one whose content differs
/// is replaced (the draft is still being assembled; the latest run wins); on a published release it is kept and the
/// difference reported as a warning, and a new asset is uploaded only where GitHub allows it.</para>
/// </summary>
public sealed class GitHubReleasePublisher(
    IGitHubClient client,
    GitHubRepositoryName repository,
    ILogger? logger = null,
    TimeProvider? clock = null
) : IReleasePublisher
{
    /// <summary>Releases per page when looking for a draft (the API maximum).</summary>
    private const int PageSize = 100;

    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private IReleasesClient Releases => client.Repository.Release;

    public async Task<ReleaseRecord> PublishAsync(
        ReleaseRequest request,
        IProgress<UploadProgress>? progress = null,
        CancellationToken cancellationToken = default
    )
    {
        request.Validate();
        var existing = await Call($"looking up the release of {request.Tag}", () => FindAsync(request.Tag));
        var created = existing is null;
        var release = existing is null
            ? await Call(
                $"creating the draft release {request.Tag}",
                () =>
                    Releases.Create(
                        repository.Owner,
                        repository.Name,
                        new NewRelease(request.Tag)
                        {
                            Name = request.Name,
                            Body = request.Notes,
                            Draft = true,
                            Prerelease = request.Prerelease,
                            TargetCommitish = request.Commit,
                        }
                    )
            )
            : await UpdateAsync(existing, request);
        if (created)
            _logger.LogInformation("Created draft release {Tag}", request.Tag);
        else if (release.Draft)
            _logger.LogInformation(
                "Completing the draft release {Tag} an earlier run left unpublished ({Count} asset(s) on it)",
                request.Tag,
                release.Assets?.Count ?? 0
            );
        else
            _logger.LogInformation("Updating release {Tag} (published)", request.Tag);

        // From here on an interruption leaves a draft: found by its tag and completed by the next run, never published
        // half.
        cancellationToken.ThrowIfCancellationRequested();

        var (uploaded, replaced, kept) = await UploadAssetsAsync(release, request, progress, cancellationToken);

        if (release.Draft && !request.Draft)
        {
            cancellationToken.ThrowIfCancellationRequested();
            release = await Call(
                $"publishing release {request.Tag}",
                () => Releases.Edit(repository.Owner, repository.Name, release.Id, new ReleaseUpdate { Draft = false })
            );
            _logger.LogInformation("Published release {Tag}: {Url}", request.Tag, release.HtmlUrl);
        }

        return new ReleaseRecord(
            request.Tag,
            release.HtmlUrl,
            created,
            release.Draft,
            release.Prerelease,
            uploaded,
            replaced,
            kept
        );
    }

    /// <summary>
    /// The release of a tag, drafts included. <c>GET /releases/tags/{tag}</c> answers for published releases only,
    /// so it is tried first (one call in the common re-run) and the paged list (which shows drafts) after it.
    /// </summary>
    public async Task<Release?> FindAsync(string tag)
    {
        try
        {
            return await Releases.Get(repository.Owner, repository.Name, tag);
        }
        catch (NotFoundException)
        {
            // A draft, or no release yet: list.
        }

        for (var page = 1; ; page++)
        {
            var batch = await Releases.GetAll(
                repository.Owner,
                repository.Name,
                new ApiOptions
                {
                    PageSize = PageSize,
                    PageCount = 1,
                    StartPage = page,
                }
            );
            var match = batch.FirstOrDefault(r => string.Equals(r.TagName, tag, StringComparison.Ordinal));
            if (match is not null)
                return match;
            if (batch.Count < PageSize)
                return null;
        }
    }

    private async Task<Release> UpdateAsync(Release release, ReleaseRequest request)
    {
        var changes = new ReleaseUpdate();
        var changed = false;
        if (release.Name != request.Name)
            (changes.Name, changed) = (request.Name, true);
        if (release.Body != request.Notes)
            (changes.Body, changed) = (request.Notes, true);
        if (release.Prerelease != request.Prerelease)
            (changes.Prerelease, changed) = (request.Prerelease, true);
        if (!changed)
            return release;
        return await Call(
            $"updating release {request.Tag}",
            () => Releases.Edit(repository.Owner, repository.Name, release.Id, changes)
        );
    }

    private async Task<(List<string> Uploaded, List<string> Replaced, List<string> Kept)> UploadAssetsAsync(
        Release release,
        ReleaseRequest request,
        IProgress<UploadProgress>? progress,
        CancellationToken cancellationToken
    )
    {
        List<string> uploaded = [],
            replaced = [],
            kept = [];
        var present = release.Assets?.ToDictionary(a => a.Name, StringComparer.OrdinalIgnoreCase) ?? [];
        if (request.Assets.Count > 0 && present.Count == 0 && !release.Draft)
        {
            // A published release's embedded list may be truncated; read the full list before deciding anything.
            present = (
                await Call(
                    $"listing assets of {request.Tag}",
                    () => Releases.GetAllAssets(repository.Owner, repository.Name, release.Id)
                )
            ).ToDictionary(a => a.Name, StringComparer.OrdinalIgnoreCase);
        }

        for (var i = 0; i < request.Assets.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var asset = request.Assets[i];
            if (present.TryGetValue(asset.Name, out var old))
            {
                var same = await SameContentAsync(old, asset, request.Tag, cancellationToken);
                if (same || !release.Draft)
                {
                    if (same)
                        _logger.LogInformation(
                            "Asset {Asset} on {Tag} already holds this content: kept",
                            asset.Name,
                            request.Tag
                        );
                    else
                        _logger.LogWarning(
                            "Asset {Asset} on published release {Tag} differs from this "
                                + "run's file: kept as published (a published release's assets "
                                + "are not swapped; cut a new release to ship the new one)",
                            asset.Name,
                            request.Tag
                        );
                    kept.Add(asset.Name);
                    progress?.Report(new UploadProgress(i + 1, request.Assets.Count, asset.Name));
                    continue;
                }

                await DeleteAssetAsync(old, request.Tag);
                replaced.Add(asset.Name);
            }

            await UploadAsync(release, asset, request.Tag, cancellationToken);
            if (!replaced.Contains(asset.Name))
                uploaded.Add(asset.Name);
            progress?.Report(new UploadProgress(i + 1, request.Assets.Count, asset.Name));
        }

        return (uploaded, replaced, kept);
    }

    private async Task UploadAsync(
        Release release,
        ReleaseAssetFile asset,
        string tag,
        CancellationToken cancellationToken
    )
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var stream = File.OpenRead(asset.Path);
                var upload = new ReleaseAssetUpload(
                    asset.Name,
                    AssetContentTypes.For(asset.Name),
                    stream,
                    TimeSpan.FromMinutes(10)
                );
                await Releases.UploadAsset(release, upload, cancellationToken);
                _logger.LogInformation("Uploaded {Asset} to {Tag}", asset.Name, tag);
                return;
            }
            catch (ApiValidationException e) when (attempt == 1 && release.Draft && GitHubApiFailure.IsAlreadyExists(e))
            {
                // Another run uploaded the same name between our listing and our upload: same rule, replace it.
                var all = await Call(
                    $"listing assets of {tag}",
                    () => Releases.GetAllAssets(repository.Owner, repository.Name, release.Id)
                );
                if (
                    all.FirstOrDefault(a => string.Equals(a.Name, asset.Name, StringComparison.OrdinalIgnoreCase)) is
                    { } clash
                )
                    await DeleteAssetAsync(clash, tag);
            }
            catch (ApiException e)
            {
                throw GitHubApiFailure.From(e, $"uploading asset {asset.Name} to release {tag}", repository, clock);
            }
        }
    }

    /// <summary>
    /// Whether the asset already on the release holds exactly this file. The REST answer Octokit models has no digest,
    /// so a same-sized asset is downloaded (<c>Accept: application/octet-stream</c>, which GitHub answers with a
    /// redirect to the file) and compared by SHA-256.
    /// </summary>
    private async Task<bool> SameContentAsync(
        ReleaseAsset present,
        ReleaseAssetFile asset,
        string tag,
        CancellationToken cancellationToken
    )
    {
        if (present.Size != new FileInfo(asset.Path).Length)
            return false;
        var download = await Call(
            $"downloading asset {present.Name} of {tag} to compare it",
            () =>
                client.Connection.Get<byte[]>(
                    new Uri(present.Url),
                    new Dictionary<string, string>(),
                    "application/octet-stream",
                    cancellationToken
                )
        );
        // Octokit hands a binary answer over as the raw stream (Body stays null for byte[]).
        byte[] remote;
        switch (download.HttpResponse.Body)
        {
            case Stream stream:
                await using (stream)
                    remote = await SHA256.HashDataAsync(stream, cancellationToken);
                break;
            case byte[] bytes:
                remote = SHA256.HashData(bytes);
                break;
            case string text:
                remote = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text));
                break;
            default:
                return false;
        }

        await using var file = File.OpenRead(asset.Path);
        var local = await SHA256.HashDataAsync(file, cancellationToken);
        return remote.AsSpan().SequenceEqual(local);
    }

    private Task DeleteAssetAsync(ReleaseAsset asset, string tag)
    {
        _logger.LogInformation("Replacing asset {Asset} on draft {Tag}", asset.Name, tag);
        return Call(
            $"deleting the old asset {asset.Name} of {tag}",
            () => Releases.DeleteAsset(repository.Owner, repository.Name, asset.Id)
        );
    }

    private async Task<T> Call<T>(string attempted, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (ApiException e)
        {
            throw GitHubApiFailure.From(e, attempted, repository, clock);
        }
    }

    private async Task Call(string attempted, Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (ApiException e)
        {
            throw GitHubApiFailure.From(e, attempted, repository, clock);
        }
    }
}
