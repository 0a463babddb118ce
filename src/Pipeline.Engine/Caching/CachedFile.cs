using System.Text.Json.Serialization;

namespace Pipeline.Engine.Caching;

/// <summary>An output file of a cache entry: its path relative to the root (forward slashes), SHA-256 digest and
/// size.</summary>
public sealed record CachedFile(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("digest")] string Digest,
    [property: JsonPropertyName("size")] long Size
);
