namespace Pipeline.Quality.Testing;

/// <summary>The results of one test project (one TRX file): counts, failures, and where its reports were
/// written.</summary>
public sealed record TestProjectResult(
    string Name,
    IReadOnlyList<TestCaseResult> Tests,
    TimeSpan Duration,
    IReadOnlyList<string> RunErrors
)
{
    public int Passed => Tests.Count(t => t.Outcome == TestOutcome.Passed);

    public int Failed => Tests.Count(t => t.Outcome == TestOutcome.Failed);

    public int Skipped => Tests.Count(t => t.Outcome == TestOutcome.Skipped);

    public IEnumerable<TestCaseResult> Failures => Tests.Where(t => t.Outcome == TestOutcome.Failed);

    public string? TrxPath { get; init; }

    public string? JUnitPath { get; init; }

    public string Describe() =>
        Tests.Count == 0 && RunErrors.Count == 0
            ? $"{Name}: no test found"
            : $"{Name}: {Passed} passed, {Failed} failed, {Skipped} skipped in {Duration.TotalSeconds:0.0}s";
}
