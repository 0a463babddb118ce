namespace Pipeline.Registry.Remote;

/// <summary>Tuning for the registry client. The defaults suit GHCR and GAR over the internet.</summary>
public sealed record RegistryClientOptions
{
    /// <summary>Retries per request for 429, 5xx, resets and timeouts (jittered exponential backoff).</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>The first backoff delay; it roughly doubles per retry, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>A 429 whose Retry-After asks for longer than this is not waited for: the registry counts as unavailable.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Per attempt, for requests without a large body (ping, HEAD, manifests, tokens).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Per attempt, for blob uploads and downloads. GHCR caps an upload at 10 minutes.</summary>
    public TimeSpan TransferTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Blobs at least this large are uploaded in chunks, so an interruption resumes instead of restarting.</summary>
    public long ChunkedUploadThreshold { get; init; } = 64L * 1024 * 1024;

    /// <summary>Chunk size for chunked uploads. GHCR rejects PATCHes over 4 MiB with 416.</summary>
    public int ChunkSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>Blobs transferred at the same time (skopeo's default is 6; images rarely have more layers than this).</summary>
    public int MaxParallelBlobs { get; init; } = 6;

    /// <summary>
    /// Called with every secret the client learns at run time (a credential read from docker's config, each bearer token it
    /// obtains) before it is used, so the caller can mask it; the adapter does not know the engine, only this callback.
    /// </summary>
    public Action<string>? RegisterSecret { get; init; }

    /// <summary>Registries spoken to over plain HTTP. Loopback hosts (127.0.0.1, localhost, [::1]) always are.</summary>
    public IReadOnlyCollection<string> PlainHttpRegistries { get; init; } = [];
}
