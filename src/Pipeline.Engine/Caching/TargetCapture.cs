using System.Collections.Concurrent;

namespace Pipeline.Engine.Caching;

/// <summary>What a running target states about its result, kept for its cache entry: result lines, named outputs, step
/// summary.</summary>
internal sealed class TargetCapture
{
    public ConcurrentQueue<string> ResultLines { get; } = new();
    public ConcurrentDictionary<string, string> Outputs { get; } = new();
    public ConcurrentQueue<string> Summaries { get; } = new();

    /// <summary>The typed results (artifacts/results envelopes by member), kept in the entry's config.</summary>
    public System.Text.Json.JsonElement? Result { get; set; }

    /// <summary>Set when the target's result came from the cache (the whole target, or every part of it).</summary>
    public CacheHit? ServedFrom { get; set; }

    /// <summary>The key of the entry the target was served from or saved as: what dependents record as its
    /// result.</summary>
    public string? ResultKey { get; set; }
}
