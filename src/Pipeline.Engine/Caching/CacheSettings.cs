namespace Pipeline.Engine.Caching;

/// <summary>The run's cache options from the command line and environment.</summary>
internal sealed record CacheSettings(
    bool Enabled,
    bool Verify,
    string? WhyMiss,
    CacheWrite Write,
    string WriteReason,
    long MaxBytes
)
{
    /// <summary>Default size bound of the per-user folder (Prune keeps it under this): 2 GiB, or
    /// <c>PIPELINE_CACHE_MAX_MB</c>.</summary>
    public static long MaxBytesFrom(Func<string, string?> env) =>
        env("PIPELINE_CACHE_MAX_MB") is { } text && long.TryParse(text, out var mb) && mb > 0
            ? mb * 1024 * 1024
            : 2L * 1024 * 1024 * 1024;
}
