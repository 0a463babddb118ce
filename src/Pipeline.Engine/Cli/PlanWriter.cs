using System.Text;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Cli;

/// <summary><c>--plan</c>: the execution plan as numbered text and as a Mermaid graph (paste into a README or a
/// PR).</summary>
internal static class PlanWriter
{
    /// <param name="notes">Lines to print under a target (<see cref="ITargetDefinition.ExplainsPlan"/>), by target
    /// name.</param>
    public static string Write(ExecutionPlan plan, IReadOnlyDictionary<string, IReadOnlyList<string>>? notes = null)
    {
        var text = new StringBuilder();
        text.AppendLine("Execution plan:");
        var number = 0;
        foreach (var planned in plan.Targets)
        {
            var state = planned.Status == TargetStatus.Skipped ? $"  (skipped: {planned.Reason})" : "";
            // Targets that share a resource never run side by side: shown, so a plan explains why --parallel did not
            // overlap them.
            var resources = planned.Target.Definition.Resources is { Count: > 0 } used
                ? $"  [uses {string.Join(", ", used.Order(StringComparer.Ordinal))}]"
                : "";
            text.AppendLine($"  {++number}. {planned.Name}{state}{resources}");
            foreach (var line in notes?.GetValueOrDefault(planned.Name) ?? [])
                text.AppendLine($"       {line}");
        }

        text.AppendLine();
        text.AppendLine("```mermaid");
        text.AppendLine("graph LR");
        foreach (var planned in plan.Targets)
        {
            var style =
                planned.Status == TargetStatus.Skipped ? ":::skipped"
                : planned.Invoked ? ":::invoked"
                : "";
            text.AppendLine($"  {planned.Name}[{planned.Name}]{style}");
        }

        foreach (var planned in plan.Targets)
        {
            foreach (var dependency in planned.Target.DependsOn.Where(d => plan.Find(d) is not null))
                text.AppendLine($"  {dependency.Name} --> {planned.Name}");
            foreach (var triggered in planned.Target.Triggers.Where(d => plan.Find(d) is not null))
                text.AppendLine($"  {planned.Name} -. triggers .-> {triggered.Name}");
            foreach (var trigger in planned.Target.TriggeredBy.Where(d => plan.Find(d) is not null))
                text.AppendLine($"  {trigger.Name} -. triggers .-> {planned.Name}");
            foreach (var after in planned.Target.After.Where(d => plan.Find(d) is not null))
                text.AppendLine($"  {after.Name} -. before .-> {planned.Name}");
        }

        text.AppendLine("  classDef skipped stroke-dasharray: 5 5,color:#888");
        text.AppendLine("  classDef invoked stroke-width:3px");
        text.AppendLine("```");
        return text.ToString();
    }
}
