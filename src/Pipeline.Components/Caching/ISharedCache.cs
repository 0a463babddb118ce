using Pipeline.Engine.Caching;
using Pipeline.Engine.Parameters;

namespace Pipeline.Components.Caching;

/// <summary>
/// A shared target cache in an OCI registry (<c>--cache-registry host[:port]/repository</c>), read by every run and
/// written only by trusted ones (see docs/cache.md). Credentials as for pushes: Docker's config and credential
/// helpers, or <see cref="CacheRegistryPassword"/>. Without a value only the per-user folder is used.
/// </summary>
public interface ISharedCache : IHazCacheStore
{
    [
        Parameter(
            "Registry repository holding the shared target cache, host[:port]/repository (empty: per-user folder only)"
        ),
        PublicName
    ]
    string? CacheRegistry => this.Get(() => CacheRegistry);

    [Parameter("User name for the cache registry (default: from Docker's config)")]
    string? CacheRegistryUser => this.Get(() => CacheRegistryUser);

    [Parameter("Password or token for the cache registry"), Secret]
    string? CacheRegistryPassword => this.Get(() => CacheRegistryPassword);

    ICacheStore? IHazCacheStore.SharedCacheStore => SharedCacheStores.Open(this);
}
