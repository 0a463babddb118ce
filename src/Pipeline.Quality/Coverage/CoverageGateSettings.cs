namespace Pipeline.Quality.Coverage;

/// <param name="MinimumPercent">Overall line coverage required (the seeds say 80).</param>
/// <param name="CriticalPaths">Parts that must be fully covered (100% of their lines).</param>
/// <param name="CriticalPathsSource">Where the list came from, for error messages (e.g. "deploy/config.env
/// COVERAGE_CRITICAL_PATHS").</param>
public sealed record CoverageGateSettings(
    double MinimumPercent,
    IReadOnlyList<CriticalPath> CriticalPaths,
    string CriticalPathsSource = "critical paths"
)
{
    public const double CriticalPercent = 100.0;
}
