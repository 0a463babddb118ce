namespace Pipeline.Quality.Coverage;

/// <summary>Compacts sorted line numbers into "3-5, 9, 12-14" for one-line reports.</summary>
internal static class LineRanges
{
    public static string Format(IEnumerable<int> sortedLines, int maxRanges = int.MaxValue)
    {
        var ranges = new List<(int Start, int End)>();
        foreach (var line in sortedLines)
        {
            if (ranges.Count > 0 && ranges[^1].End == line - 1)
                ranges[^1] = (ranges[^1].Start, line);
            else
                ranges.Add((line, line));
        }

        var shown = ranges.Take(maxRanges).Select(r => r.Start == r.End ? $"{r.Start}" : $"{r.Start}-{r.End}");
        var text = string.Join(", ", shown);
        return ranges.Count > maxRanges ? $"{text}, … ({ranges.Count - maxRanges} more)" : text;
    }
}
