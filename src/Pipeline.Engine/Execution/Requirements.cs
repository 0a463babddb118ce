using System.Collections;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Preflight;

namespace Pipeline.Engine.Execution;

/// <summary>Every <c>Requires</c> of the targets that will run, before any of them runs: what is missing, by name (part
/// of <see cref="PreflightStep"/>).</summary>
internal static class Requirements
{
    public static IEnumerable<BuildFailure> Failures(ExecutionPlan plan, IReadOnlyList<ParameterDefinition> parameters)
    {
        foreach (var planned in plan.Targets.Where(t => t.Status != TargetStatus.Skipped))
        {
            foreach (var requirement in planned.Target.Definition.Requirements)
            {
                var value = requirement.Compile().DynamicInvoke();
                if (requirement.ReturnType == typeof(bool))
                {
                    var condition = requirement.Body is System.Linq.Expressions.MemberExpression member
                        ? member.Member.Name
                        : requirement.Body.ToString();
                    if (value is false)
                        yield return new BuildFailure($"Target {planned.Name} requires {condition} to be true");
                    continue;
                }

                if (IsMissing(value))
                {
                    var name = ParameterAccess.MemberName(requirement);
                    var where = parameters.FirstOrDefault(p => p.Name == name)?.WhereToSet ?? "set it";
                    yield return new BuildFailure($"Target {planned.Name} requires parameter {name}: {where}");
                }
            }
        }
    }

    private static bool IsMissing(object? value) =>
        value switch
        {
            null => true,
            string s => string.IsNullOrWhiteSpace(s),
            ICollection c => c.Count == 0,
            _ => false,
        };
}
