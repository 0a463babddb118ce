using Microsoft.Extensions.Logging;

namespace Pipeline.Retention;

/// <summary>
/// Retention on a plain OCI distribution registry (the local registry, a self-hosted mirror): versions are the tagged
/// manifests and everything their indexes list; deletion is <c>DELETE /v2/&lt;name&gt;/manifests/&lt;digest&gt;</c>,
/// which removes every tag on that digest. The registry must allow deletes (<c>storage.delete.enabled: true</c>); space
/// returns after its garbage collection.
/// </summary>
public sealed class OciRepositoryTarget(IManifestStore store, ILogger logger) : IRetentionTarget
{
    public string Name => store.Location;

    public async Task<IReadOnlyList<ArtifactVersion>> ListAsync(CancellationToken cancellationToken = default)
    {
        var tags = await store.ListTagsAsync(cancellationToken).ConfigureAwait(false);
        var manifests = new Dictionary<string, ManifestSummary>(StringComparer.Ordinal);
        var tagsByDigest = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var tag in tags.Order(StringComparer.Ordinal))
        {
            // A tag deleted between listing and reading is simply gone.
            if (await store.GetAsync(tag, cancellationToken).ConfigureAwait(false) is not { } manifest)
                continue;
            manifests.TryAdd(manifest.Digest, manifest);
            (tagsByDigest.TryGetValue(manifest.Digest, out var list) ? list : tagsByDigest[manifest.Digest] = []).Add(
                tag
            );
        }

        // Walk indexes: their platform and attestation manifests are versions too (untagged).
        var pending = new Queue<string>(manifests.Values.SelectMany(m => m.Children));
        while (pending.TryDequeue(out var digest))
        {
            if (manifests.ContainsKey(digest))
                continue;
            var child =
                await store.GetAsync(digest, cancellationToken).ConfigureAwait(false)
                ?? throw new RetentionException(
                    $"{store.Location}: an index lists {digest}, which the registry does not have; nothing was deleted"
                );
            manifests[digest] = child;
            foreach (var grandchild in child.Children)
                pending.Enqueue(grandchild);
        }

        logger.LogDebug("{Location}: {Tags} tags, {Manifests} manifests", store.Location, tags.Count, manifests.Count);
        return manifests
            .Values.Select(m => new ArtifactVersion(
                m.Digest,
                m.Digest,
                tagsByDigest.GetValueOrDefault(m.Digest) ?? [],
                m.Created ?? NewestChild(m, manifests)
            )
            {
                Children = m.Children,
                Subject = m.Subject,
                SizeBytes = m.Size,
            })
            .ToList();
    }

    public Task DeleteAsync(ArtifactVersion version, CancellationToken cancellationToken = default) =>
        store.DeleteAsync(version.Digest, cancellationToken);

    /// <summary>An index without a creation annotation is as old as its newest image.</summary>
    private static DateTimeOffset? NewestChild(ManifestSummary index, Dictionary<string, ManifestSummary> manifests) =>
        index.Children.Select(c => manifests.GetValueOrDefault(c)?.Created).Where(c => c is not null).Max();
}
