using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Execution;

/// <summary>The targets that will run, in order, with the ones already known to be skipped marked as such.</summary>
internal sealed record ExecutionPlan(IReadOnlyList<PlannedTarget> Targets)
{
    public PlannedTarget? Find(BuildTarget target) => Targets.FirstOrDefault(t => t.Target == target);
}
