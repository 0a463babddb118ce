namespace Pipeline.GitHub.Notes;

/// <summary>Sections of the release notes, in the order they appear.</summary>
internal enum ChangeKind
{
    Breaking,
    Feature,
    Fix,
    Performance,
    Documentation,
    Dependencies,
    Maintenance,
    Other,
}
