namespace Pipeline.Quality.Coverage;

/// <summary>The verdict: each problem is one line; files under a bar are listed with their figures.</summary>
public sealed record CoverageGateResult(IReadOnlyList<string> Problems, IReadOnlyList<FileCoverage> FilesUnderBar)
{
    public bool Passed => Problems.Count == 0;
}
