using Pipeline.Engine.Execution;

namespace Pipeline.Engine.Output;

/// <summary>Progress for long work (pushes, builds), shown the way the host shows it.</summary>
public static class Progress
{
    public static IProgressReporter Start(string title, long? total = null) =>
        BuildContext.Current.Output.StartProgress(title, total);
}
