using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Engine.Caching;

/// <summary>
/// One cached result: the record it was made from, the output files (relative paths with their digests), the lines
/// that state the result (replayed on a hit, e.g. the <c>Tests:</c> count), the target's named outputs and step
/// summary, how long the work took, and the typed result when the target has one.
/// </summary>
public sealed record CacheEntry
{
    public const string FormatVersion = "1";

    [JsonPropertyName("format")]
    public string Format { get; init; } = FormatVersion;

    [JsonPropertyName("key")]
    public required string Key { get; init; }

    [JsonPropertyName("unit")]
    public required string Unit { get; init; }

    /// <summary>The canonical record (JSON) the key was computed from; <c>--why-miss</c> compares against it.</summary>
    [JsonPropertyName("record")]
    public required string Record { get; init; }

    [JsonPropertyName("files")]
    public IReadOnlyList<CachedFile> Files { get; init; } = [];

    [JsonPropertyName("resultLines")]
    public IReadOnlyList<string> ResultLines { get; init; } = [];

    [JsonPropertyName("outputs")]
    public IReadOnlyDictionary<string, string> Outputs { get; init; } = new Dictionary<string, string>();

    [JsonPropertyName("summary")]
    public string? SummaryMarkdown { get; init; }

    /// <summary>The typed result of the target as JSON, when it declares one.</summary>
    [JsonPropertyName("result")]
    public JsonElement? Result { get; init; }

    [JsonPropertyName("seconds")]
    public double Seconds { get; init; }

    [JsonPropertyName("created")]
    public DateTimeOffset Created { get; init; }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this);

    /// <summary>Reads an entry; null when the bytes are not an entry of this format (an old or foreign
    /// artifact).</summary>
    public static CacheEntry? FromJson(ReadOnlySpan<byte> json)
    {
        try
        {
            var entry = JsonSerializer.Deserialize<CacheEntry>(json);
            return entry?.Format == FormatVersion ? entry : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
