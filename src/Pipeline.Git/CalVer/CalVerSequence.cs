namespace Pipeline.Git.CalVer;

/// <summary>The numbering rule: the next tag of a day is one past the highest index already used that day (gaps are
/// never refilled).</summary>
internal static class CalVerSequence
{
    public static CalVerTag Next(IEnumerable<string> existingTagNames, DateOnly day)
    {
        var highest = 0;
        foreach (var name in existingTagNames)
        {
            if (CalVerTag.TryParse(name, out var tag) && tag.Date == day && tag.Index > highest)
                highest = tag.Index;
        }

        if (highest >= CalVerTag.MaxIndex)
        {
            throw new InvalidOperationException(
                $"every release number of {day:yyyy-MM-dd} is taken (the index stops "
                    + $"at {CalVerTag.MaxIndex}); release tomorrow or remove stray tags"
            );
        }

        return new CalVerTag(day, highest + 1);
    }

    /// <summary>The newest CalVer tag strictly older than <paramref name="current"/>: where release notes
    /// start.</summary>
    public static CalVerTag? Previous(IEnumerable<string> existingTagNames, CalVerTag current)
    {
        CalVerTag? best = null;
        foreach (var name in existingTagNames)
        {
            if (CalVerTag.TryParse(name, out var tag) && tag < current && (best is null || tag > best.Value))
                best = tag;
        }

        return best;
    }
}
