using Pipeline.Engine.Execution;

namespace Pipeline.Engine.Report;

/// <summary>One target on the report's timeline: where its bar starts and how long it is, on which lane, and how it
/// ended.</summary>
internal sealed record TimelineBar(
    string Name,
    int Lane,
    TimeSpan Start,
    TimeSpan Duration,
    string Status,
    string? Cache,
    string? Reason,
    bool Critical
)
{
    /// <summary>When it began waiting for a shared resource (from the run's start), and for what; null when it never
    /// queued.</summary>
    public TimeSpan? QueuedFrom { get; init; }

    public string? QueuedFor { get; init; }
}

/// <summary>
/// The run as a Gantt chart: each target that started, from its recorded start and duration (never from console text),
/// on the first lane free at its start (targets side by side get lanes of their own), the wait of a target queued for a
/// shared resource, and the critical path: from the target that finished last, back through the predecessor (or the
/// holder of the resource it queued for) that finished last, to a target that waited for none.
/// </summary>
internal static class RunTimeline
{
    public static IReadOnlyList<TimelineBar> Of(ExecutionPlan plan, DateTimeOffset runStart)
    {
        var ran = plan.Targets.Where(t => t.StartedAt is not null).OrderBy(t => t.StartedAt).ToList();
        var finish = ran.ToDictionary(t => t, t => t.StartedAt!.Value - runStart + t.Duration);
        var critical = CriticalPath(plan, ran, finish).ToHashSet();
        var lanes = new List<TimeSpan>(); // per lane, when its last bar ends
        var bars = new List<TimelineBar>();
        foreach (var target in ran)
        {
            var start = target.StartedAt!.Value - runStart;
            var lane = lanes.FindIndex(end => end <= start);
            if (lane < 0)
            {
                lanes.Add(TimeSpan.Zero);
                lane = lanes.Count - 1;
            }

            lanes[lane] = finish[target];
            bars.Add(
                new TimelineBar(
                    target.Name,
                    lane,
                    start,
                    target.Duration,
                    Status(target),
                    target.Cached,
                    target.Reason,
                    critical.Contains(target)
                )
                {
                    QueuedFrom = target.QueuedAt - runStart,
                    QueuedFor = target.QueuedFor,
                }
            );
        }

        return bars;
    }

    /// <summary>The critical path's target names, first to last (the engine's answer; tests compare the report against
    /// it).</summary>
    public static IReadOnlyList<string> CriticalPathNames(ExecutionPlan plan, DateTimeOffset runStart)
    {
        var ran = plan.Targets.Where(t => t.StartedAt is not null).ToList();
        return CriticalPath(plan, ran, ran.ToDictionary(t => t, t => t.StartedAt!.Value - runStart + t.Duration))
            .Select(t => t.Name)
            .ToList();
    }

    private static List<PlannedTarget> CriticalPath(
        ExecutionPlan plan,
        List<PlannedTarget> ran,
        Dictionary<PlannedTarget, TimeSpan> finish
    )
    {
        var path = new List<PlannedTarget>();
        var current = ran.OrderByDescending(t => finish[t]).FirstOrDefault();
        while (current is not null)
        {
            path.Add(current);
            current = Predecessors(plan, current)
                .Where(finish.ContainsKey)
                .OrderByDescending(p => finish[p])
                .FirstOrDefault();
        }

        path.Reverse();
        return path;
    }

    /// <summary>
    /// What a target waited for: in the plan, DependsOn, After and TriggeredBy, and the targets that run Before it or
    /// trigger it; in the run, the targets holding a shared resource it queued for.
    /// </summary>
    private static IEnumerable<PlannedTarget> Predecessors(ExecutionPlan plan, PlannedTarget target)
    {
        var t = target.Target;
        return plan
            .Targets.Where(p =>
                p != target
                && (
                    t.DependsOn.Contains(p.Target)
                    || t.After.Contains(p.Target)
                    || t.TriggeredBy.Contains(p.Target)
                    || p.Target.Before.Contains(t)
                    || p.Target.Triggers.Contains(t)
                )
            )
            .Concat(target.QueuedBehind)
            .Distinct();
    }

    private static string Status(PlannedTarget t) =>
        t.Cached is not null
            ? "cached"
            : t.Status switch
            {
                TargetStatus.Succeeded => "succeeded",
                TargetStatus.Failed => "failed",
                TargetStatus.Skipped => "skipped",
                _ => "not run",
            };
}
