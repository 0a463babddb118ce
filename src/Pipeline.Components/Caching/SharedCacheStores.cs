using Pipeline.Engine.Caching;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Registry;
using Pipeline.Registry.Auth;
using Pipeline.Registry.Remote;

namespace Pipeline.Components.Caching;

/// <summary>Opens the registry store of <see cref="ISharedCache"/>; a malformed reference stops the build before any
/// target.</summary>
internal static class SharedCacheStores
{
    // A cache must never cost more than it saves: short deadlines, one retry, then the run goes on without it.
    private static readonly RegistryClientOptions Options = new()
    {
        MaxRetries = 1,
        ConnectTimeout = TimeSpan.FromSeconds(3),
        RequestTimeout = TimeSpan.FromSeconds(15),
        TransferTimeout = TimeSpan.FromMinutes(2),
    };

    public static ICacheStore? Open(ISharedCache build)
    {
        if (string.IsNullOrWhiteSpace(build.CacheRegistry))
            return null;
        var text = build.CacheRegistry.Trim();
        var source = BuildContext.Current.Parameters.Find(nameof(ISharedCache.CacheRegistry))?.Source;
        var fromFile = source is not null && !source.StartsWith("command line", StringComparison.Ordinal);
        var where = fromFile ? $"--cache-registry (from {source})" : "--cache-registry";
        var slash = text.IndexOf('/');
        if (slash <= 0 || slash == text.Length - 1)
            throw new BuildFailure($"{where}: '{text}' is not host[:port]/repository");
        // The host is checked here, once, by the rule every registry host follows: never "Invalid URI" from deep inside
        // a client.
        if (!Reference.IsRegistryHost(text[..slash]))
            throw new BuildFailure(
                $"{where}: '{text[..slash]}' is not a registry host[:port] (a DNS name or IP address, port 1–65535)"
            );
        ICredentialProvider credentials = build.CacheRegistryPassword is { Length: > 0 } password
            ? new StaticCredentials(build.CacheRegistryUser ?? "cache", password, "CACHE_REGISTRY_PASSWORD")
            : new DockerConfigCredentials();
        try
        {
            var client = new RegistryClient(text[..slash], credentials, Options, Log.Logger);
            return new RegistryCacheStore(client.Repository(text[(slash + 1)..]));
        }
        catch (InvalidReferenceException e)
        {
            throw new BuildFailure($"{where}: {e.Message}");
        }
    }
}
