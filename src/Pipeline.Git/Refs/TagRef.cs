namespace Pipeline.Git.Refs;

/// <summary>A tag as a remote or the local repository lists it: the tag object (annotated) and the commit it finally
/// points at.</summary>
public sealed record TagRef(string Name, string ObjectId, string CommitId);
