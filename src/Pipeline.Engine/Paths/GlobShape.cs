namespace Pipeline.Engine.Paths;

/// <summary>
/// What a glob (Microsoft.Extensions.FileSystemGlobbing: <c>*</c>, <c>**</c> as a whole segment, <c>?</c>-free) can
/// mean, checked before it is used: a glob with a syntax this matcher does not have (<c>[abc]</c>, <c>{a,b}</c>, a
/// leading <c>!</c>, <c>a**b</c>) or that leaves the root matches nothing, silently, and the files it was meant for are
/// never looked at. The one check for every glob setting.
/// </summary>
public static class GlobShape
{
    /// <summary>Why <paramref name="glob"/> is not a usable glob relative to the root; null when it is.</summary>
    public static string? Problem(string glob)
    {
        if (string.IsNullOrWhiteSpace(glob))
            return "is empty";
        if (Path.IsPathRooted(glob) || glob.Split('/').Contains(".."))
            return "must be relative to the root, inside it";
        if (glob.IndexOfAny(['[', ']', '{', '}', '\\']) >= 0)
            return "uses [ ] { } or \\, which these globs do not have (only * and **)";
        if (glob.StartsWith('!'))
            return "starts with '!': these globs have no negation";
        if (glob.Split('/').Any(s => s.Contains("**", StringComparison.Ordinal) && s != "**"))
            return "has ** inside a name; ** stands alone between slashes (src/**/x.cs)";
        if (glob.Contains("//", StringComparison.Ordinal))
            return "has an empty folder name (//)";
        return null;
    }
}
