namespace Pipeline.Quality.Testing;

/// <summary>Everything one <c>dotnet test</c> run produced: per-project results, coverage files and the exit
/// code.</summary>
public sealed record TestRunReport(
    int ExitCode,
    IReadOnlyList<TestProjectResult> Projects,
    IReadOnlyList<string> CoverageFiles,
    TimeSpan Duration
)
{
    public int Passed => Projects.Sum(p => p.Passed);

    public int Failed => Projects.Sum(p => p.Failed);

    public int Skipped => Projects.Sum(p => p.Skipped);

    /// <summary>
    /// True when every test passed and the run itself was healthy: a build error or a crashed test host
    /// makes <c>dotnet test</c> exit non-zero without any failed test, and that is a failure too.
    /// </summary>
    public bool Succeeded => ExitCode == 0 && Failed == 0 && Projects.All(p => p.RunErrors.Count == 0);

    /// <summary>The closing line, in the form CI log readers look for.</summary>
    public string SummaryLine => FormatSummary(Passed, Failed, Skipped);

    public static string FormatSummary(int passed, int failed, int skipped) =>
        $"Tests: {passed} passed, {failed} failed, {skipped} skipped";
}
