namespace Pipeline.Git.History;

/// <summary>One commit as release notes need it. <see cref="Parents"/> has two entries for a merge.</summary>
public sealed record GitCommit(string Sha, IReadOnlyList<string> Parents, string Author, string Subject, string Body)
{
    public bool IsMerge => Parents.Count > 1;

    public string ShortSha => Sha.Length > 7 ? Sha[..7] : Sha;
}
