using System.Diagnostics;
using System.Reflection;
using Pipeline.Engine.Caching;
using Pipeline.Engine.Output;
using Pipeline.Engine.Preflight;
using Pipeline.Engine.Results;
using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Execution;

/// <summary>
/// Runs a plan, up to <c>parallelism</c> targets at a time. A target starts once every target the plan orders before
/// it (DependsOn, After, Before, Triggers, TriggeredBy) has finished and no running target holds a resource it uses;
/// among the ready ones, plan order decides, so <c>--parallel 1</c> is the plan order exactly. A failed target stops
/// its dependents; unless it proceeds after failure it also halts the build: nothing new starts, running targets
/// finish, and only assured (cleanup) targets still run. A target that failed for some of its items only (a
/// <see cref="PartialFailure"/>) and proceeds after failure does not stop its dependents: they run on the items that
/// worked, whose typed results it saved.
/// </summary>
/// <remarks>
/// Side by side, one target's output streams as it comes, in its group (the first to start while none streamed; when it
/// finishes, the next running one in start order takes over); the others hold theirs and emit it whole, as their own
/// group, when their turn comes. A target running alone therefore always streams. An interactive terminal meanwhile
/// shows a live table of the running targets with their latest line. A <see cref="SideEffectGate"/>
/// runs the late preflight checks before the first target with side effects; a refusal halts the build like a failure.
/// </remarks>
/// <param name="proceedAll"><c>--proceed-after-failure</c>: every target proceeds after failure, as if declared with
/// it.</param>
internal sealed class TargetRunner(
    IOutputSink output,
    int parallelism = 1,
    ILiveStatus? live = null,
    SideEffectGate? gate = null,
    bool proceedAll = false
)
{
    private readonly List<RunningTargetState> _running = [];

    // Targets that finished with their output held while another target streamed: emitted when that one finishes.
    private readonly List<RunningTargetState> _finishedHeld = [];

    private ExecutionPlan _plan = new([]);

    public async Task RunAsync(ExecutionPlan plan)
    {
        _plan = plan;
        var context = BuildContext.Current;
        var order = new PlanOrder(plan);
        var finished = plan.Targets.Where(t => t.Status != TargetStatus.Pending).ToHashSet();
        var pending = plan.Targets.Where(t => t.Status == TargetStatus.Pending).ToList();
        string? halted = null;
        using var table = parallelism > 1 && live is not null ? live.ShowRunning(Snapshot) : null;
        while (pending.Count > 0 || _running.Count > 0)
        {
            if (context.CancelledBy is { } signal)
                halted ??= $"build interrupted by {signal}";
            foreach (var planned in pending.ToList())
            {
                if (_running.Count >= parallelism)
                    break;
                if (!order.Predecessors(planned).All(finished.Contains))
                    continue;
                if (HoldsResourceOf(planned))
                {
                    Queue(planned);
                    continue;
                }

                pending.Remove(planned);
                if (Decide(planned, plan, halted))
                {
                    finished.Add(planned);
                    continue;
                }

                var started = Start(planned, context);
                lock (_running)
                    _running.Add(started);
            }

            if (_running.Count == 0)
            {
                // Unreachable while the plan is a topological order; never spin if it is not.
                foreach (var left in pending)
                    NotRun(left, "its predecessors never finished");
                break;
            }

            var done = await Task.WhenAny(_running.Select(r => r.Run));
            var state = _running.First(r => r.Run == done);
            lock (_running)
                _running.Remove(state);
            await done;
            EmitOutput(state);
            finished.Add(state.Planned);
            if (state.Planned.Status == TargetStatus.Succeeded)
                context.RecordSuccess(state.Planned.Name);
            if (context.CancelledBy is { } cancelled)
                halted ??= $"build interrupted by {cancelled}";
            if (state.Planned.Status == TargetStatus.Failed && !Proceeds(state.Planned))
                halted ??= $"build stopped after {state.Planned.Name} failed";
            if (state.Refused is { } refused)
                halted ??= refused;
        }
    }

    /// <summary>Settles a target that will not run (halted, blocked by a failed dependency, dynamic condition false);
    /// false when it should start.</summary>
    private bool Decide(PlannedTarget planned, ExecutionPlan plan, string? halted)
    {
        var definition = planned.Target.Definition;
        if (!definition.Assured)
        {
            if (halted is not null)
            {
                NotRun(planned, halted);
                return true;
            }

            var dependencies = planned.Target.DependsOn.Select(plan.Find).OfType<PlannedTarget>().ToList();
            var blocker = dependencies.FirstOrDefault(d =>
                d.Status is TargetStatus.NotRun || (d.Status is TargetStatus.Failed && !GoesOnWith(d))
            );
            if (blocker is not null)
            {
                NotRun(
                    planned,
                    $"dependency {blocker.Name} {(blocker.Status == TargetStatus.Failed ? "failed" : "did not run")}"
                );
                return true;
            }

            foreach (var partial in dependencies.Where(d => d.Status is TargetStatus.Failed))
                output.Write(
                    LogLevel.Warning,
                    $"{planned.Name}: {partial.Name} failed for {partial.Partial!.Tally} "
                        + $"({string.Join(", ", partial.Partial.Failed)}); "
                        + $"going on with the others (proceed after failure)"
                );
        }

        if (definition.DynamicConditions.FirstOrDefault(c => !c.Condition()) is { Because: { } because })
        {
            planned.Status = TargetStatus.Skipped;
            planned.Reason = because;
            output.Write(LogLevel.Info, $"{planned.Name}: skipped ({because})");
            return true;
        }

        return false;
    }

    private bool Proceeds(PlannedTarget planned) => proceedAll || planned.Target.Definition.Proceeds;

    /// <summary>A dependency that failed for some items only, and proceeds: its dependents run on the items that
    /// worked.</summary>
    private bool GoesOnWith(PlannedTarget dependency) =>
        dependency.Partial is { AnyWorked: true } && Proceeds(dependency);

    private bool HoldsResourceOf(PlannedTarget planned)
    {
        var wanted = planned.Target.Definition.Resources;
        return wanted.Count > 0 && _running.Any(r => r.Planned.Target.Definition.Resources.Overlaps(wanted));
    }

    /// <summary>Notes, once, that a ready target waits for a shared resource and which running targets hold it (the
    /// report's queueing).</summary>
    private void Queue(PlannedTarget planned)
    {
        if (planned.QueuedAt is not null)
            return;
        var wanted = planned.Target.Definition.Resources;
        var holders = _running
            .Where(r => r.Planned.Target.Definition.Resources.Overlaps(wanted))
            .Select(r => r.Planned)
            .ToList();
        planned.QueuedAt = DateTimeOffset.UtcNow;
        planned.QueuedBehind = holders;
        planned.QueuedFor = string.Join(
            "; ",
            holders.Select(h =>
            {
                var held = h.Target.Definition.Resources.Intersect(wanted, StringComparer.OrdinalIgnoreCase);
                return $"{string.Join(", ", held.Order(StringComparer.Ordinal))} held by {h.Name}";
            })
        );
    }

    private RunningTargetState Start(PlannedTarget planned, BuildContext context)
    {
        // One at a time, output streams as it comes. Side by side, one target streams (the first to start while none
        // did), the others hold their lines until it is their turn: live on CI while a target runs alone, never
        // interleaved.
        var buffer = parallelism > 1 ? new TargetOutputSink(planned.Name, output) : null;
        if (buffer is null)
            output.BeginGroup(planned.Name);
        else if (!_running.Any(r => r.Output is { Streaming: true }))
            buffer.StartStreaming();
        var upstream = planned
            .Target.DependsOn.Select(d => _plan.Find(d))
            .Where(d => d?.ResultKey is not null)
            .Select(d => (d!.Name, d.ResultKey!))
            .ToList();
        var scope = new RunningTargetScope(planned.Name, planned.Target.Definition.CacheInputs, upstream);
        var run = Task.Run(async () =>
        {
            using var route = buffer is null ? null : context.RouteOutput(buffer);
            using var entered = context.EnterTarget(scope);
            if (gate is not null && await gate.BeforeAsync(planned) is { } refused)
            {
                foreach (var failure in gate.TakeUnreported())
                    context.Output.Annotate(LogLevel.Error, failure.Message, failure.File, failure.Line);
                NotRun(planned, refused);
                return refused;
            }

            await ExecuteAsync(planned, context, scope);
            return null;
        });
        return new RunningTargetState(planned, buffer, run);
    }

    /// <summary>
    /// A finished target's output: a streaming one closes its group, then the held output of targets that finished
    /// meanwhile comes out whole, and the next running target (in start order) streams. A held one that finished while
    /// another streams waits for that one, so no group ever opens inside another.
    /// </summary>
    private void EmitOutput(RunningTargetState state)
    {
        if (state.Output is { Streaming: false } && _running.Any(r => r.Output is { Streaming: true }))
        {
            _finishedHeld.Add(state);
            return;
        }

        state.Flush(output);
        foreach (var held in _finishedHeld)
            held.Flush(output);
        _finishedHeld.Clear();
        lock (_running)
            _running.FirstOrDefault(r => r.Output is not null)?.Output!.StartStreaming();
    }

    private IReadOnlyList<RunningTarget> Snapshot()
    {
        lock (_running)
            return _running
                .Select(r => new RunningTarget(r.Planned.Name, r.Output?.Latest ?? "", r.Clock.Elapsed))
                .ToList();
    }

    private static async Task ExecuteAsync(PlannedTarget planned, BuildContext context, RunningTargetScope scope)
    {
        var sink = context.Output;
        var clock = Stopwatch.StartNew();
        planned.StartedAt = DateTimeOffset.UtcNow;
        try
        {
            var cached = new CachedRun(planned, context, scope);
            if (await cached.TryServeAsync())
                return;
            foreach (var action in planned.Target.Definition.Actions)
                await action();
            SaveResults(planned.Target, context);
            planned.Status = TargetStatus.Succeeded;
            await cached.AfterRunAsync(clock.Elapsed);
        }
        catch (Exception e)
        {
            var error = Unwrap(e);
            planned.Status = TargetStatus.Failed;
            planned.Reason = error.Message;
            if (error is OperationCanceledException && context.CancelledBy is { } signal)
            {
                // The target stopped because the run was interrupted: one line, no stack (what it left, it said
                // itself).
                planned.Reason = $"interrupted by {signal}";
                sink.Annotate(LogLevel.Error, $"{planned.Name}: interrupted by {signal}", null, null);
                return;
            }

            if (error is PartialFailure partial)
            {
                // What worked is real: its results go where dependents, a later job or --skip find them.
                planned.Partial = partial;
                SaveResults(planned.Target, context);
            }

            Report(sink, planned.Name, error);
        }
        finally
        {
            planned.Duration = clock.Elapsed;
        }
    }

    /// <summary>A succeeded target's typed results go to artifacts/results/, where a cache or a later job picks them
    /// up.</summary>
    private static void SaveResults(BuildTarget target, BuildContext context)
    {
        foreach (var result in target.Results)
        {
            var files = ResultStore.Save(context, result);
            context.Output.Write(
                LogLevel.Debug,
                files.Count == 0 ? $"{result}: no value set" : $"{result}: {files[0].RelativeTo(context.RootDirectory)}"
            );
        }
    }

    private static void Report(IOutputSink sink, string target, Exception error)
    {
        if (error is BuildFailure failure)
        {
            sink.Annotate(LogLevel.Error, Prefixed(target, failure.Message), failure.File, failure.Line);
            if (failure.InnerException is { } inner)
                sink.Write(LogLevel.Debug, inner.ToString());
            return;
        }

        // An unexpected exception: one line (its type and stack trace only at --verbosity verbose), pointing the
        // annotation at the first frame with source information.
        var frame = new StackTrace(error, fNeedFileInfo: true)
            .GetFrames()
            .FirstOrDefault(f => f.GetFileName() is not null);
        sink.Annotate(
            LogLevel.Error,
            $"{target}: {error.Message.Split('\n')[0].Trim()}",
            frame?.GetFileName(),
            frame?.GetFileLineNumber()
        );
        sink.Write(LogLevel.Debug, error.ToString());
    }

    /// <summary>"Target: message", unless the message already starts with the target's name (components often name
    /// themselves).</summary>
    internal static string Prefixed(string target, string message) =>
        message.StartsWith(target, StringComparison.OrdinalIgnoreCase)
        && message.Length > target.Length
        && message[target.Length] is ':' or ' '
            ? message
            : $"{target}: {message}";

    private static Exception Unwrap(Exception e) =>
        e switch
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

    /// <summary>A started target: its task, its streamed-or-held output (side by side only) and its clock for the live
    /// table.</summary>
    private sealed record RunningTargetState(PlannedTarget Planned, TargetOutputSink? Output, Task<string?> Run)
    {
        public Stopwatch Clock { get; } = Stopwatch.StartNew();

        /// <summary>Why the side-effect gate refused to start the target; null when it ran (or is running).</summary>
        public string? Refused => Run.IsCompletedSuccessfully ? Run.Result : null;

        /// <summary>Ends the target's group: output still held is emitted now, whole, inside it.</summary>
        public void Flush(IOutputSink output)
        {
            if (Output is not null)
                Output.Finish();
            else
                output.EndGroup();
        }
    }
}
