using Pipeline.Engine.Execution;

namespace Pipeline.Engine.Output;

/// <summary>Markdown for the run's summary: <c>$GITHUB_STEP_SUMMARY</c> on GitHub Actions, <c>artifacts/summary.md</c>
/// always. Masked.</summary>
public static class Summary
{
    public static void Append(string markdown) => BuildContext.Current.AppendSummary(markdown);
}
