namespace Pipeline.Containers.Prune;

/// <summary>One image and what Prune decided about it, with the reason in words.</summary>
public sealed record PruneDecision(
    string Id,
    IReadOnlyList<string> Tags,
    DateTimeOffset Created,
    long Size,
    bool Remove,
    string Reason
)
{
    public string ShortId =>
        Id.Replace("sha256:", string.Empty, StringComparison.Ordinal)[
            ..Math.Min(12, Id.Replace("sha256:", string.Empty, StringComparison.Ordinal).Length)
        ];

    public string DisplayName => Tags.Count == 0 ? $"<untagged> {ShortId}" : string.Join(", ", Tags);
}
