namespace Pipeline.Quality.Testing;

/// <summary>One executed (or skipped) test, as read from a TRX file.</summary>
public sealed record TestCaseResult(
    string ClassName,
    string Name,
    TestOutcome Outcome,
    TimeSpan Duration,
    string? Message = null,
    string? StackTrace = null
)
{
    /// <summary>Where the failure happened in the test's own source, when the stack trace says so.</summary>
    public SourceLocation? Location { get; init; }
}
