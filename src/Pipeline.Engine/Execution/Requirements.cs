using System.Collections;


namespace Pipeline.Engine;

/// <summary>Checks every <c>Requires</c> of the targets that will run, before any of them runs, and names what is missing.</summary>
internal static class Requirements
{
    public static void Check(ExecutionPlan plan, IReadOnlyList<ParameterDefinition> parameters)
    {
        var failures = new List<BuildFailure>();
        foreach (var planned in plan.Targets.Where(t => t.Status != TargetStatus.Skipped))
        {
            foreach (var requirement in planned.Target.Definition.Requirements)
            {
                var value = requirement.Compile().DynamicInvoke();
                if (requirement.ReturnType == typeof(bool))
                {
                    var condition = requirement.Body is System.Linq.Expressions.MemberExpression member ? member.Member.Name : requirement.Body.ToString();
                    if (value is false) failures.Add(new BuildFailure($"Target {planned.Name} requires {condition} to be true"));
                    continue;
                }

                if (IsMissing(value))
                {
                    var name = ParameterAccess.MemberName(requirement);
                    var where = parameters.FirstOrDefault(p => p.Name == name)?.WhereToSet ?? "set it";
                    failures.Add(new BuildFailure($"Target {planned.Name} requires parameter {name}: {where}"));
                }
            }
        }

        if (failures.Count == 1) throw failures[0];
        if (failures.Count > 1) throw new BuildFailures(failures);
    }

    private static bool IsMissing(object? value) => value switch
    {
        null => true,
        string s => string.IsNullOrWhiteSpace(s),
        ICollection c => c.Count == 0,
        _ => false,
    };

}
