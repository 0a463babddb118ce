namespace Pipeline.Git.CalVer;

public sealed record CalVerTagOptions
{
    public string Remote { get; init; } = "origin";

    /// <summary>False in the local profile: the tag is created in the working repository only.</summary>
    public bool Push { get; init; } = true;

    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>How many lost races to absorb before giving up (each loss means another runner took a number first).</summary>
    public int MaxAttempts { get; init; } = 25;

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Annotation of the tag; <c>{tag}</c> is replaced by the tag name.</summary>
    public string Message { get; init; } = "Release {tag}";
}
