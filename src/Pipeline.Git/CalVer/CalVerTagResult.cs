namespace Pipeline.Git.CalVer;

/// <param name="Tag">The tag now on HEAD.</param>
/// <param name="Commit">HEAD's commit.</param>
/// <param name="Reused">HEAD already carried a CalVer tag: nothing was created.</param>
/// <param name="Pushed">The tag is on the remote (pushed now, or found there).</param>
/// <param name="LostRaces">Numbers another runner took first while this one was tagging.</param>
/// <param name="Previous">The newest older CalVer tag (of the same prefix) and its commit: where release notes
/// start.</param>
/// <param name="Prefix">The tag prefix (<see cref="CalVerTagOptions.Prefix"/>): the tag's name is <see
/// cref="Name"/>.</param>
public sealed record CalVerTagResult(
    CalVerTag Tag,
    string Commit,
    bool Reused,
    bool Pushed,
    int LostRaces,
    CalVerTag? Previous,
    string? PreviousCommit,
    string Prefix = ""
)
{
    /// <summary>The tag's name in git (prefix included).</summary>
    public string Name => Prefix + Tag;

    /// <summary>The previous tag's name in git, or null.</summary>
    public string? PreviousName => Previous is { } previous ? Prefix + previous : null;
}
