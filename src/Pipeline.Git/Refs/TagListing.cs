namespace Pipeline.Git.Refs;

/// <summary>Parses tag listings into name → <see cref="TagRef"/>, resolving annotated tags to their commits.</summary>
internal static class TagListing
{
    private const string TagsPrefix = "refs/tags/";
    private const string Peeled = "^{}";

    /// <summary>
    /// <c>git ls-remote --tags</c> output: <c>&lt;oid&gt;\trefs/tags/NAME</c>, followed for annotated tags by
    /// <c>&lt;commit&gt;\trefs/tags/NAME^{}</c> (the peeled line). Lightweight tags have no peeled line: the oid is the
    /// commit.
    /// </summary>
    public static Dictionary<string, TagRef> ParseLsRemote(string output)
    {
        var tags = new Dictionary<string, TagRef>(StringComparer.Ordinal);
        foreach (var raw in output.AsSpan().EnumerateLines())
        {
            var line = raw.TrimEnd();
            var tab = line.IndexOf('\t');
            if (tab <= 0)
                continue;
            var oid = line[..tab].ToString();
            var refName = line[(tab + 1)..];
            if (!refName.StartsWith(TagsPrefix, StringComparison.Ordinal))
                continue;
            var name = refName[TagsPrefix.Length..];
            if (name.EndsWith(Peeled, StringComparison.Ordinal))
            {
                var tagName = name[..^Peeled.Length].ToString();
                tags[tagName] = tags.TryGetValue(tagName, out var known)
                    ? known with
                    {
                        CommitId = oid,
                    }
                    : new TagRef(tagName, oid, oid);
            }
            else
            {
                var tagName = name.ToString();
                // The peeled line may already have been seen (listings are sorted, but be order-independent).
                tags[tagName] = tags.TryGetValue(tagName, out var known)
                    ? known with
                    {
                        ObjectId = oid,
                    }
                    : new TagRef(tagName, oid, oid);
            }
        }

        return tags;
    }

    /// <summary><c>git for-each-ref --format='%(refname:strip=2)%09%(objectname)%09%(*objectname)'</c> output (the last
    /// field is empty for lightweight tags).</summary>
    public static Dictionary<string, TagRef> ParseForEachRef(string output)
    {
        var tags = new Dictionary<string, TagRef>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.TrimEnd('\r').Split('\t');
            if (fields.Length < 2)
                continue;
            var commit = fields.Length > 2 && fields[2].Length > 0 ? fields[2] : fields[1];
            tags[fields[0]] = new TagRef(fields[0], fields[1], commit);
        }

        return tags;
    }
}
