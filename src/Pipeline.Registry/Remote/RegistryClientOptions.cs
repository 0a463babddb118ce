namespace Pipeline.Registry.Remote;

/// <summary>Tuning for the registry client. The defaults suit GHCR and GAR over the internet.</summary>
public sealed record RegistryClientOptions
{
    /// <summary>Retries per request (a chunk, a final PUT, a manifest) for 429, 5xx, resets and timeouts (jittered
    /// exponential backoff).</summary>
    public int MaxRetries { get; init; } = 8;

    /// <summary>The first backoff delay; it roughly doubles per retry, with jitter, up to <see
    /// cref="MaxBackoff"/>.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest backoff between two attempts (Retry-After is honoured up to <see cref="MaxRetryAfter"/>
    /// instead).</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>A 429 whose Retry-After asks for longer than this is not waited for: the registry counts as
    /// unavailable.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a registry may stay silent (no connection, no answer, an answer that stops) during one request before
    /// it counts as down and the push fails over (<c>REGISTRY_TIMEOUT</c>). Retries of that request stop when it is
    /// spent.
    /// </summary>
    public TimeSpan UnavailableAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// An attempt ends when no byte moves for this long: body going up, headers awaited, each read of the answer.
    /// Default: a third of <see cref="UnavailableAfter"/>, so a silent registry gets three tries within the budget.
    /// </summary>
    public TimeSpan? IdleTimeout { get; init; }

    public TimeSpan EffectiveIdleTimeout => IdleTimeout ?? UnavailableAfter / 3;

    /// <summary>
    /// The slowest answer that still counts as an answer, in bytes per second, measured over each idle time
    /// (<see cref="EffectiveIdleTimeout"/>, 10 s by default): a body arriving slower (a byte every few seconds) counts
    /// as silence, so a trickle cannot hold a build past the budget. Default 1 KiB/s; 0 turns the floor off.
    /// </summary>
    public int MinimumTransferRate { get; init; } = 1024;

    /// <summary>Hard cap per attempt for requests without a large body (ping, HEAD, manifests, tokens), however they
    /// trickle.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Hard cap per attempt for blob uploads and downloads. GHCR caps an upload at 10 minutes.</summary>
    public TimeSpan TransferTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Blobs at least this large are uploaded in chunks, so an interruption resumes instead of
    /// restarting.</summary>
    public long ChunkedUploadThreshold { get; init; } = 64L * 1024 * 1024;

    /// <summary>Chunk size for chunked uploads. GHCR rejects PATCHes over 4 MiB with 416.</summary>
    public int ChunkSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>Blobs transferred at the same time (skopeo's default is 6; images rarely have more layers than
    /// this).</summary>
    public int MaxParallelBlobs { get; init; } = 6;

    /// <summary>
    /// Called with every secret the client learns at run time (a credential read from docker's config, each bearer
    /// token it obtains) before it is used, so the caller can mask it; the adapter does not know the engine, only this
    /// callback.
    /// </summary>
    public Action<string>? RegisterSecret { get; init; }

    /// <summary>Registries spoken to over plain HTTP. Loopback hosts (127.0.0.1, localhost, [::1]) always
    /// are.</summary>
    public IReadOnlyCollection<string> PlainHttpRegistries { get; init; } = [];
}
