using System.Diagnostics;
using System.Reflection;

namespace Pipeline.Engine;

/// <summary>
/// Runs a plan in order. A failed target stops its dependents; unless it proceeds after failure it also halts
/// the build, and then only assured (cleanup) targets still run.
/// </summary>
internal sealed class TargetRunner(IOutputSink output)
{
    public async Task RunAsync(ExecutionPlan plan)
    {
        string? halted = null;
        foreach (var planned in plan.Targets)
        {
            if (planned.Status == TargetStatus.Skipped) continue;
            var definition = planned.Target.Definition;
            if (!definition.Assured)
            {
                if (halted is not null)
                {
                    NotRun(planned, halted);
                    continue;
                }

                var blocker = planned.Target.DependsOn.Select(plan.Find).FirstOrDefault(d => d?.Status is TargetStatus.Failed or TargetStatus.NotRun);
                if (blocker is not null)
                {
                    NotRun(planned, $"dependency {blocker.Name} {(blocker.Status == TargetStatus.Failed ? "failed" : "did not run")}");
                    continue;
                }
            }

            if (definition.DynamicConditions.FirstOrDefault(c => !c.Condition()) is { Because: { } because })
            {
                planned.Status = TargetStatus.Skipped;
                planned.Reason = because;
                output.Write(LogLevel.Info, $"{planned.Name}: skipped ({because})");
                continue;
            }

            await ExecuteAsync(planned);
            if (planned.Status == TargetStatus.Failed && !definition.Proceeds) halted = $"build stopped after {planned.Name} failed";
        }
    }

    private async Task ExecuteAsync(PlannedTarget planned)
    {
        var clock = Stopwatch.StartNew();
        output.BeginGroup(planned.Name);
        try
        {
            foreach (var action in planned.Target.Definition.Actions) await action();
            SaveResults(planned.Target);
            planned.Status = TargetStatus.Succeeded;
        }
        catch (Exception e)
        {
            var error = Unwrap(e);
            planned.Status = TargetStatus.Failed;
            planned.Reason = error.Message;
            Report(planned.Name, error);
        }
        finally
        {
            planned.Duration = clock.Elapsed;
            output.EndGroup();
        }
    }

    /// <summary>A succeeded target's typed results go to artifacts/results/, where a cache or a later job picks them up.</summary>
    private void SaveResults(BuildTarget target)
    {
        var context = BuildContext.Current;
        foreach (var result in target.Results)
        {
            var files = ResultStore.Save(context, result);
            output.Write(LogLevel.Debug, files.Count == 0 ? $"{result}: no value set" : $"{result}: {files[0].RelativeTo(context.RootDirectory)}");
        }
    }

    private void Report(string target, Exception error)
    {
        if (error is BuildFailure failure)
        {
            output.Annotate(LogLevel.Error, Prefixed(target, failure.Message), failure.File, failure.Line);
            if (failure.InnerException is { } inner) output.Write(LogLevel.Debug, inner.ToString());
            return;
        }

        // An unexpected exception: point the annotation at the first frame with source information.
        var frame = new StackTrace(error, fNeedFileInfo: true).GetFrames().FirstOrDefault(f => f.GetFileName() is not null);
        output.Annotate(LogLevel.Error, $"{target}: {error.GetType().Name}: {error.Message}", frame?.GetFileName(), frame?.GetFileLineNumber());
        output.Write(LogLevel.Debug, error.ToString());
    }

    /// <summary>"Target: message", unless the message already starts with the target's name (components often name themselves).</summary>
    internal static string Prefixed(string target, string message)
        => message.StartsWith(target, StringComparison.OrdinalIgnoreCase) && message.Length > target.Length && message[target.Length] is ':' or ' '
            ? message
            : $"{target}: {message}";

    private static Exception Unwrap(Exception e) => e switch
    {
        TargetInvocationException { InnerException: { } inner } => Unwrap(inner),
        AggregateException { InnerExceptions.Count: 1 } aggregate => Unwrap(aggregate.InnerExceptions[0]),
        _ => e,
    };

    private void NotRun(PlannedTarget planned, string reason)
    {
        planned.Status = TargetStatus.NotRun;
        planned.Reason = reason;
        output.Write(LogLevel.Debug, $"{planned.Name}: not run ({reason})");
    }
}
