using Pipeline.Engine.Execution;

namespace Pipeline.Engine.Targets;

/// <summary>
/// What this run was asked to do, for a target whose behaviour depends on it in a way the user can see before anything
/// runs (PushGar pushes a release when the run also tags one). Known once the plan is made: false before, and for
/// a target skipped or not in the plan.
/// </summary>
public static class TargetSchedule
{
    public static bool IsScheduled<T>(this IPipelineBuild build, Func<T, Target> target)
        where T : IPipelineBuild =>
        build is T component && BuildContext.Current.Scheduled.Contains(target(component).Method);
}
