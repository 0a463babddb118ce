using Pipeline.Engine.Execution;
using Pipeline.Engine.Results;

namespace Pipeline.Engine.Output;

/// <summary>
/// The writer of <c>$GITHUB_OUTPUT</c>: values later workflow steps and jobs read (image digest, release tag, URL).
/// Targets never read these back; they hand results to each other as typed members (<see cref="ResultAccess"/>).
/// </summary>
public static class StepOutputs
{
    public static void Set(string name, string value) => BuildContext.Current.SetOutput(name, value);
}
