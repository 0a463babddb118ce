namespace Pipeline.Containers.Build;

/// <summary>The OCI annotation keys (<c>org.opencontainers.image.*</c>) as image labels, filled from git and
/// parameters.</summary>
public static class OciLabels
{
    public const string Source = "org.opencontainers.image.source";
    public const string Revision = "org.opencontainers.image.revision";
    public const string Created = "org.opencontainers.image.created";
    public const string Version = "org.opencontainers.image.version";
    public const string Title = "org.opencontainers.image.title";

    /// <summary>The labels for the given facts; empty values are left out rather than written blank.</summary>
    public static IReadOnlyDictionary<string, string> Create(
        string? source,
        string? revision,
        DateTimeOffset? created,
        string? version,
        string? title
    )
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Add(labels, Source, source);
        Add(labels, Revision, revision);
        Add(
            labels,
            Created,
            created
                ?.ToUniversalTime()
                .ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)
        );
        Add(labels, Version, version);
        Add(labels, Title, title);
        return labels;
    }

    private static void Add(IDictionary<string, string> labels, string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
            labels[key] = value.Trim();
    }
}
