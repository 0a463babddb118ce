using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Execution;

/// <summary>
/// Turns invoked targets into an ordered plan. Scheduling follows DependsOn, Triggers and TriggeredBy;
/// ordering also honours After and Before. The order is one topological sort of the whole graph, so a cycle
/// anywhere is reported, with its names, before anything runs.
/// </summary>
internal static class Planner
{
    /// <summary>The skip reason of targets left out with <c>--skip</c>.</summary>
    public const string SkippedByOption = "--skip";

    public static ExecutionPlan Plan(
        IReadOnlyList<BuildTarget> all,
        IReadOnlyList<BuildTarget> invoked,
        IReadOnlyCollection<string>? skip
    )
    {
        var order = Order(all);
        var statics = all.ToDictionary(t => t, StaticSkipReason);

        // Dependencies reached only through a statically skipped target are not needed: NUKE semantics.
        var scheduled = Schedule(invoked, all, _ => false);
        var needed = Schedule(invoked.Where(t => statics[t] is null), all, t => statics[t] is not null);

        var plan = order.Where(scheduled.Contains).Select(t => new PlannedTarget(t, invoked.Contains(t))).ToList();
        foreach (var planned in plan)
        {
            if (statics[planned.Target] is { } because)
                Skip(planned, because);
            else if (!needed.Contains(planned.Target))
                Skip(planned, "only needed by skipped targets");
            else if (
                skip is not null
                && (skip.Count == 0 ? !planned.Invoked : skip.Contains(planned.Name, StringComparer.OrdinalIgnoreCase))
            )
                Skip(planned, SkippedByOption);
        }

        return new ExecutionPlan(plan);
    }

    /// <summary>Every target in an order that respects all relations; throws with the cycle when there is
    /// none.</summary>
    public static IReadOnlyList<BuildTarget> Order(IReadOnlyList<BuildTarget> all)
    {
        // before[t] = targets that must precede t
        var before = all.ToDictionary(t => t, _ => new HashSet<BuildTarget>());
        foreach (var t in all)
        {
            foreach (var d in t.DependsOn)
                before[t].Add(d);
            foreach (var a in t.After)
                before[t].Add(a);
            foreach (var b in t.Before)
                before[b].Add(t);
            foreach (var tr in t.Triggers)
                before[tr].Add(t);
            foreach (var by in t.TriggeredBy)
                before[t].Add(by);
        }

        var ordered = new List<BuildTarget>();
        var done = new HashSet<BuildTarget>();
        while (ordered.Count < all.Count)
        {
            var next =
                all.Where(t => !done.Contains(t) && before[t].All(done.Contains)).OrderBy(t => t.Order).FirstOrDefault()
                ?? throw new BuildFailure(
                    $"The targets form a cycle (A -> B: A must run after B): "
                        + $"{string.Join(" -> ", FindCycle(all.Where(t => !done.Contains(t)).ToList(), before))}"
                );
            ordered.Add(next);
            done.Add(next);
        }

        return ordered;
    }

    private static HashSet<BuildTarget> Schedule(
        IEnumerable<BuildTarget> roots,
        IReadOnlyList<BuildTarget> all,
        Func<BuildTarget, bool> stop
    )
    {
        var scheduled = new HashSet<BuildTarget>();
        var queue = new Queue<BuildTarget>(roots);
        while (queue.Count > 0)
        {
            var t = queue.Dequeue();
            // A stopped (statically skipped) target is in the plan but pulls in nothing: it will not run.
            if (!scheduled.Add(t) || stop(t))
                continue;
            foreach (var d in t.DependsOn)
                queue.Enqueue(d);
            foreach (var triggered in t.Triggers)
                queue.Enqueue(triggered);
            foreach (var triggered in all.Where(x => x.TriggeredBy.Contains(t)))
                queue.Enqueue(triggered);
        }

        return scheduled;
    }

    private static string? StaticSkipReason(BuildTarget target)
    {
        foreach (var (condition, because) in target.Definition.StaticConditions)
        {
            if (!condition())
                return because;
        }

        return null;
    }

    private static void Skip(PlannedTarget planned, string reason)
    {
        planned.Status = TargetStatus.Skipped;
        planned.Reason = reason;
    }

    private static IEnumerable<string> FindCycle(
        List<BuildTarget> remaining,
        Dictionary<BuildTarget, HashSet<BuildTarget>> before
    )
    {
        // Walk "must come after" edges among the remaining targets until a target repeats.
        var path = new List<BuildTarget>();
        var current = remaining.OrderBy(t => t.Order).First();
        while (!path.Contains(current))
        {
            path.Add(current);
            current = before[current].Where(remaining.Contains).OrderBy(t => t.Order).First();
        }

        return path.Skip(path.IndexOf(current)).Append(current).Select(t => t.Name);
    }
}
