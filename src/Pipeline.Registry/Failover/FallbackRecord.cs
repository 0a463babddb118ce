using System.Text.Json.Serialization;

namespace Pipeline.Registry.Failover;

/// <summary>
/// The note a failover leaves: which image (digest, tags) should be at <see cref="IntendedDestination"/> but
/// was put at <see cref="HeldBy"/> instead, and why. Reconcile reads these and finishes the job.
/// </summary>
public sealed record FallbackRecord
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("purpose")]
    public required string Purpose { get; init; }

    /// <summary>Name of the destination that failed (ghcr, gar).</summary>
    [JsonPropertyName("intendedDestination")]
    public required string IntendedDestination { get; init; }

    /// <summary>registry/repository the image belongs in.</summary>
    [JsonPropertyName("intendedRepository")]
    public required string IntendedRepository { get; init; }

    [JsonPropertyName("digest")]
    public required string Digest { get; init; }

    [JsonPropertyName("tags")]
    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>Name of the destination that holds it (local, archive).</summary>
    [JsonPropertyName("heldBy")]
    public required string HeldBy { get; init; }

    /// <summary>registry/repository for a registry, or the archive file path.</summary>
    [JsonPropertyName("heldAt")]
    public required string HeldAt { get; init; }

    [JsonPropertyName("reason")]
    public required string Reason { get; init; }

    [JsonPropertyName("createdAt")]
    public required DateTimeOffset CreatedAt { get; init; }
}
