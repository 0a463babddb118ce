namespace Pipeline.Engine.Caching;

/// <summary>A restored entry and where it came from.</summary>
public sealed record CacheHit(CacheEntry Entry, string Store)
{
    public string ShortKey => Entry.Key[..12];

    /// <summary><c>cached (key abc123def456, from registry, saved 77.9 s)</c></summary>
    public string Describe() => $"cached (key {ShortKey}, from {Store}, saved {Entry.Seconds:0.0} s)";
}
