namespace Pipeline.Engine.Caching;

/// <summary>A build that offers a shared (remote) cache store besides the per-user folder; null when none is
/// configured.</summary>
public interface IHazCacheStore : IPipelineBuild
{
    ICacheStore? SharedCacheStore { get; }
}
