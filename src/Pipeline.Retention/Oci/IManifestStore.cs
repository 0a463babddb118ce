namespace Pipeline.Retention;

/// <summary>
/// What retention needs from a registry's OCI endpoint: tags, manifests (for the index graph and ages) and manifest
/// deletion. Implemented over Pipeline.Registry's client (<see cref="RegistryManifestStore"/>), which owns
/// authentication and retries.
/// </summary>
public interface IManifestStore
{
    /// <summary>Registry and repository, e.g. <c>ghcr.io/acme/app</c>.</summary>
    string Location { get; }

    Task<IReadOnlyList<string>> ListTagsAsync(CancellationToken cancellationToken = default);

    /// <summary>The manifest's links and age; null when the registry does not have it.</summary>
    Task<ManifestSummary?> GetAsync(string tagOrDigest, CancellationToken cancellationToken = default);

    Task DeleteAsync(string digest, CancellationToken cancellationToken = default);
}
