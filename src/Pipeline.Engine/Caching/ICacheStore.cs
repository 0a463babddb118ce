namespace Pipeline.Engine.Caching;

/// <summary>
/// Where cache entries live: the per-user folder, or an OCI registry (see Pipeline.Components' registry store).
/// Reads return null for a miss and throw for an error; the cache turns errors into a miss with a warning.
/// </summary>
public interface ICacheStore
{
    /// <summary>For messages: <c>local</c>, <c>registry 127.0.0.1:5000/cache</c>.</summary>
    string Name { get; }

    Task<CacheEntry?> FindAsync(string key, CancellationToken ct);

    /// <summary>The stored bytes of one file of <paramref name="entry"/>; the caller verifies the digest.</summary>
    Task<Stream> OpenFileAsync(CacheEntry entry, CachedFile file, CancellationToken ct);

    /// <summary>Stores <paramref name="entry"/>; <paramref name="open"/> yields each file's bytes.</summary>
    Task SaveAsync(CacheEntry entry, Func<CachedFile, Stream> open, CancellationToken ct);
}
