namespace Pipeline.Git.CalVer;

/// <param name="Tag">The tag now on HEAD.</param>
/// <param name="Commit">HEAD's commit.</param>
/// <param name="Reused">HEAD already carried a CalVer tag: nothing was created.</param>
/// <param name="Pushed">The tag is on the remote (pushed now, or found there).</param>
/// <param name="LostRaces">Numbers another runner took first while this one was tagging.</param>
/// <param name="Previous">The newest older CalVer tag and its commit: where release notes start.</param>
public sealed record CalVerTagResult(CalVerTag Tag, string Commit, bool Reused, bool Pushed, int LostRaces, CalVerTag? Previous, string? PreviousCommit);
