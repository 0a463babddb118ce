using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Execution;

/// <summary>For each planned target, the planned targets that must finish before it starts (every relation, both
/// directions).</summary>
internal sealed class PlanOrder
{
    private readonly Dictionary<PlannedTarget, List<PlannedTarget>> _before;

    public PlanOrder(ExecutionPlan plan)
    {
        var byTarget = plan.Targets.ToDictionary(p => p.Target);
        _before = plan.Targets.ToDictionary(p => p, _ => new List<PlannedTarget>());
        foreach (var planned in plan.Targets)
        {
            var t = planned.Target;
            foreach (var earlier in t.DependsOn.Concat(t.After).Concat(t.TriggeredBy))
                Link(earlier, t);
            foreach (var later in t.Before.Concat(t.Triggers))
                Link(t, later);
        }

        void Link(BuildTarget earlier, BuildTarget later)
        {
            if (
                byTarget.TryGetValue(earlier, out var e)
                && byTarget.TryGetValue(later, out var l)
                && !_before[l].Contains(e)
            )
                _before[l].Add(e);
        }
    }

    public IReadOnlyList<PlannedTarget> Predecessors(PlannedTarget planned) => _before[planned];
}
