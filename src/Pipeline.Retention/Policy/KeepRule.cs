namespace Pipeline.Retention;

/// <summary>
/// Protects versions; a version matched by any keep rule is kept even when delete rules match it (Artifact Registry
/// semantics). Conditions that are set must all hold; <see cref="MostRecent"/> keeps the newest N versions among those
/// the other conditions select.
/// </summary>
public sealed record KeepRule(string Name)
{
    public TagState TagState { get; init; } = TagState.Any;

    public IReadOnlyList<string> TagPrefixes { get; init; } = [];

    /// <summary>Newer than this. A version of unknown age matches (keeping is the safe side).</summary>
    public TimeSpan? NewerThan { get; init; }

    public int? MostRecent { get; init; }
}
