using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Engine.Parameters;

namespace Pipeline.Engine.Preflight;

/// <summary>
/// The step between planning and execution: every <c>Requires</c> and every <c>Preflight(...)</c> check of every target
/// that will run, all of them, so one run lists every problem at once and nothing has started yet (exit code 2).
/// </summary>
internal static class PreflightStep
{
    public static void CheckInputs(
        ExecutionPlan plan,
        IReadOnlyList<ParameterDefinition> parameters,
        BuildContext context
    )
    {
        var failures = Requirements.Failures(plan, parameters).ToList();
        foreach (var planned in plan.Targets.Where(t => t.Status != TargetStatus.Skipped))
        {
            var checks = new PreflightChecks(planned.Name, context, name => IsPending(plan, name));
            foreach (var check in planned.Target.Definition.InputChecks)
                Run(planned.Name, () => check(checks), checks);
            failures.AddRange(checks.Problems.Select(p => new BuildFailure($"{planned.Name}: {p}")));
        }

        if (failures.Count == 1)
            throw failures[0];
        if (failures.Count > 1)
            throw new BuildFailures(failures);
    }

    internal static bool IsPending(ExecutionPlan plan, string name) =>
        plan.Targets.Any(t =>
            string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase) && t.Status == TargetStatus.Pending
        );

    /// <summary>A check that throws is a bug in the check, but the user still gets one line, not a stack
    /// trace.</summary>
    internal static void Run(string target, Action check, PreflightChecks checks)
    {
        try
        {
            check();
        }
        catch (BuildFailure e)
        {
            checks.Fail(e.Message);
        }
        catch (Exception e)
            when (e
                    is ArgumentException
                        or FormatException
                        or InvalidOperationException
                        or IOException
                        or UnauthorizedAccessException
            )
        {
            checks.Fail($"preflight check failed: {e.Message}");
            BuildContext.Current.Output.Write(LogLevel.Debug, $"{target}: {e}");
        }
    }
}
