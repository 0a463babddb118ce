namespace Pipeline.Quality.Coverage;

/// <summary>Line coverage of one source file: hits per coverable line, and the assembly and classes it belongs
/// to.</summary>
public sealed record FileCoverage(
    string Path,
    string Assembly,
    IReadOnlySet<string> Classes,
    IReadOnlyDictionary<int, int> LineHits
)
{
    public int CoveredLines => LineHits.Values.Count(h => h > 0);

    public int CoverableLines => LineHits.Count;

    /// <summary>Percentage of coverable lines hit; a file with no coverable line counts as fully covered.</summary>
    public double Percent => CoverableLines == 0 ? 100.0 : 100.0 * CoveredLines / CoverableLines;

    public IEnumerable<int> UncoveredLines => LineHits.Where(l => l.Value == 0).Select(l => l.Key).Order();

    /// <summary>"src/A.cs: 92.3% (12/13 lines; uncovered 40-41, 57)".</summary>
    public string Describe(int maxRanges = 8) => $"{Path}: {DescribeFigures(maxRanges)}";

    /// <summary>"92.3% (12/13 lines; uncovered 40-41, 57)", for annotations that already name the file.</summary>
    public string DescribeFigures(int maxRanges = 8)
    {
        var ranges = LineRanges.Format(UncoveredLines, maxRanges);
        return $"{CoveragePercent.Format(Percent)} ({CoveredLines}/{CoverableLines} "
            + $"lines{(ranges.Length > 0 ? $"; uncovered {ranges}" : "")})";
    }
}
