namespace Pipeline.Engine.Execution;

/// <summary>What <c>--plan</c> prints under the targets that can say, before running, what they would work
/// on.</summary>
internal static class PlanExplanations
{
    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> CollectAsync(ExecutionPlan plan)
    {
        var notes = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var planned in plan.Targets.Where(t => t.Status == TargetStatus.Pending))
        {
            var lines = new List<string>();
            foreach (var explain in planned.Target.Definition.PlanExplanations)
            {
                try
                {
                    lines.AddRange(await explain());
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // A plan is for reading: a target that cannot tell yet says why, and the rest of the plan still
                    // shows.
                    lines.Add($"cannot tell before it runs: {e.Message.Split('\n')[0].Trim()}");
                }
            }

            if (lines.Count > 0)
                notes[planned.Name] = lines;
        }

        return notes;
    }
}
