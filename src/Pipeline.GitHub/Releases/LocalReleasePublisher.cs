using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Pipeline.GitHub.Releases;

/// <summary>
/// The embedded default without a GitHub token: the same release, written to <c>&lt;root&gt;/&lt;tag&gt;/</c> as
/// <c>notes.md</c>, <c>assets/</c> and <c>release.json</c> (field names as in GitHub's release object, plus sha256 per
/// asset). Re-runs rewrite the folder, so it always matches the latest run.
/// </summary>
public sealed class LocalReleasePublisher(string releasesDirectory, TimeProvider? clock = null, ILogger? logger = null)
    : IReleasePublisher
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public async Task<ReleaseRecord> PublishAsync(
        ReleaseRequest request,
        IProgress<UploadProgress>? progress = null,
        CancellationToken cancellationToken = default
    )
    {
        request.Validate();
        var folder = Path.Combine(releasesDirectory, request.Tag);
        var created = !Directory.Exists(folder);
        var assetsFolder = Path.Combine(folder, "assets");
        // release.json is the record that the release is whole: gone while the folder is rewritten, written last and
        // atomically, so an interrupted run leaves a folder without it, which the next run rewrites.
        var recordPath = Path.Combine(folder, "release.json");
        if (File.Exists(recordPath))
            File.Delete(recordPath);
        if (Directory.Exists(assetsFolder))
            Directory.Delete(assetsFolder, recursive: true);
        Directory.CreateDirectory(assetsFolder);

        var assets = new List<LocalAsset>();
        for (var i = 0; i < request.Assets.Count; i++)
        {
            var asset = request.Assets[i];
            var target = Path.Combine(assetsFolder, asset.Name);
            File.Copy(asset.Path, target, overwrite: true);
            await using (var stream = File.OpenRead(target))
            {
                var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
                assets.Add(
                    new LocalAsset(
                        asset.Name,
                        new FileInfo(target).Length,
                        AssetContentTypes.For(asset.Name),
                        "sha256:" + hash
                    )
                );
            }

            progress?.Report(new UploadProgress(i + 1, request.Assets.Count, asset.Name));
        }

        await File.WriteAllTextAsync(Path.Combine(folder, "notes.md"), request.Notes, cancellationToken);
        var record = new LocalRelease(
            request.Tag,
            request.Name,
            request.Commit,
            request.Draft,
            request.Prerelease,
            request.Notes,
            (clock ?? TimeProvider.System).GetUtcNow(),
            assets,
            request.Images?.Select(i => new LocalImage(i.Service, i.Reference, i.Digest)).ToList()
        );
        await File.WriteAllTextAsync(
            recordPath + ".partial",
            JsonSerializer.Serialize(record, Json),
            cancellationToken
        );
        File.Move(recordPath + ".partial", recordPath, overwrite: true);
        _logger.LogInformation(
            "Release {Tag} written to {Folder} ({Count} assets); no GitHub token, so nothing was published",
            request.Tag,
            folder,
            assets.Count
        );
        return new ReleaseRecord(
            request.Tag,
            folder,
            created,
            request.Draft,
            request.Prerelease,
            assets.Select(a => a.Name).ToList(),
            [],
            []
        );
    }

    private sealed record LocalRelease(
        [property: JsonPropertyName("tag_name")] string TagName,
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("target_commitish")] string TargetCommitish,
        [property: JsonPropertyName("draft")] bool Draft,
        [property: JsonPropertyName("prerelease")] bool Prerelease,
        [property: JsonPropertyName("body")] string Body,
        [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
        [property: JsonPropertyName("assets")] IReadOnlyList<LocalAsset> Assets,
        [property: JsonPropertyName("images")] IReadOnlyList<LocalImage>? Images
    ); // not in GitHub's object: the services' digests, as data

    private sealed record LocalImage(
        [property: JsonPropertyName("service")] string Service,
        [property: JsonPropertyName("reference")] string Reference,
        [property: JsonPropertyName("digest")] string Digest
    );

    private sealed record LocalAsset(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("size")] long Size,
        [property: JsonPropertyName("content_type")] string ContentType,
        [property: JsonPropertyName("digest")] string Digest
    );
}
