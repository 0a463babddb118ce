namespace Pipeline.Engine.Execution;

/// <summary>Several independent failures found in one pass (all bad parameters at once), each reported on its own
/// line.</summary>
public sealed class BuildFailures(IReadOnlyList<BuildFailure> failures)
    : BuildFailure(string.Join(Environment.NewLine, failures.Select(f => f.Message)))
{
    public IReadOnlyList<BuildFailure> Failures { get; } = failures;
}
