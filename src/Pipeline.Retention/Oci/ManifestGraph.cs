using Microsoft.Extensions.Logging;

namespace Pipeline.Retention;

/// <summary>
/// Fills in each version's children and subject by reading its manifest, a few at a time. Any manifest that cannot be
/// read stops the run: deciding without the full graph could delete a child of an image that stays.
/// </summary>
internal static class ManifestGraph
{
    public static async Task<IReadOnlyList<ArtifactVersion>> LinkAsync(
        IReadOnlyList<ArtifactVersion> versions,
        IManifestStore store,
        ILogger logger,
        CancellationToken cancellationToken
    )
    {
        var linked = new ArtifactVersion[versions.Count];
        await Parallel
            .ForEachAsync(
                Enumerable.Range(0, versions.Count),
                new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
                async (i, ct) =>
                {
                    var version = versions[i];
                    var manifest =
                        await store.GetAsync(version.Digest, ct).ConfigureAwait(false)
                        ?? throw new RetentionException(
                            $"{store.Location}@{version.Digest} is listed but "
                                + $"its manifest cannot be read; nothing was deleted"
                        );
                    linked[i] = version with
                    {
                        Children = manifest.Children,
                        Subject = manifest.Subject,
                        CreatedAt = version.CreatedAt ?? manifest.Created,
                        SizeBytes = version.SizeBytes ?? manifest.Size,
                    };
                }
            )
            .ConfigureAwait(false);
        logger.LogDebug("{Location}: read {Count} manifests", store.Location, linked.Length);
        return linked;
    }
}
