namespace Pipeline.Git.CalVer;

public sealed record CalVerTagOptions
{
    public string Remote { get; init; } = "origin";

    /// <summary>
    /// Put before every tag name (<c>api-</c> → <c>api-v26.12.01.1</c>) for a part of the repository released on its
    /// own: only tags with this prefix are read, numbered (each prefix its own per-day counter) and reused. Empty:
    /// <c>vYY.MM.DD.i</c>.
    /// </summary>
    public string Prefix { get; init; } = "";

    /// <summary>False in the local profile: the tag is created in the working repository only.</summary>
    public bool Push { get; init; } = true;

    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>How many lost races to absorb before giving up (each loss means another runner took a number
    /// first).</summary>
    public int MaxAttempts { get; init; } = 25;

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// The tag this run must produce, when something already carries its name (the image's version label, planned with
    /// <see cref="CalVerTagger.PlanAsync"/> before it was built). Another number means a rival took this one meanwhile:
    /// the tagger then refuses before creating anything, rather than tag a release whose image names another version.
    /// </summary>
    public string? Expected { get; init; }

    /// <summary>Annotation of the tag; <c>{tag}</c> is replaced by the tag name.</summary>
    public string Message { get; init; } = "Release {tag}";
}
