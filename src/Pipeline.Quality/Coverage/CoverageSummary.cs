namespace Pipeline.Quality.Coverage;

/// <summary>Line coverage of a whole run (merged over test projects), per file.</summary>
public sealed record CoverageSummary(IReadOnlyList<FileCoverage> Files)
{
    public int CoveredLines => Files.Sum(f => f.CoveredLines);

    public int CoverableLines => Files.Sum(f => f.CoverableLines);

    public double Percent => CoverableLines == 0 ? 100.0 : 100.0 * CoveredLines / CoverableLines;

    public string Describe() =>
        $"{CoveragePercent.Format(Percent)} ({CoveredLines}/{CoverableLines} lines in {Files.Count} files)";
}
