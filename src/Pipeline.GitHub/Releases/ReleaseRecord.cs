namespace Pipeline.GitHub.Releases;

/// <summary>What a publisher did. <see cref="Location"/> is the release page, or the local folder without
/// GitHub.</summary>
public sealed record ReleaseRecord(
    string Tag,
    string Location,
    bool Created,
    bool Draft,
    bool Prerelease,
    IReadOnlyList<string> Uploaded,
    IReadOnlyList<string> Replaced,
    IReadOnlyList<string> Kept
);
