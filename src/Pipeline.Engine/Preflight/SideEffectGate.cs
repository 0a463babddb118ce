using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;

namespace Pipeline.Engine.Preflight;

/// <summary>
/// Checks that can only be answered late — the network (is the GitHub API there?) or what earlier targets produced (the
/// image archive) — run once, right before the first target that declares side effects (tag push, registry push,
/// release), for every target of the plan still to run. When any fails, nothing that changes the world runs.
/// The runner calls <see cref="BeforeAsync"/> before each target; it is safe to call from parallel branches.
/// </summary>
internal sealed class SideEffectGate(ExecutionPlan plan, BuildContext context)
{
    private readonly SemaphoreSlim _once = new(1, 1);
    private IReadOnlyList<BuildFailure>? _failures;
    private int _reported;

    /// <summary>Set when the late checks failed: the build ends with exit code 2, as if it never started.</summary>
    public IReadOnlyList<BuildFailure> Failures => _failures ?? [];

    /// <summary>The failures, to the first caller only: each problem is printed once however many targets are
    /// refused.</summary>
    public IReadOnlyList<BuildFailure> TakeUnreported() => Interlocked.Exchange(ref _reported, 1) == 0 ? Failures : [];

    /// <summary>Null when <paramref name="target"/> may run; otherwise why it may not.</summary>
    public async Task<string?> BeforeAsync(PlannedTarget target)
    {
        var definition = target.Target.Definition;
        if (definition.SideEffects is null && definition.LateChecks.Count == 0)
            return null;
        await _once.WaitAsync();
        try
        {
            _failures ??= await RunLateChecksAsync();
        }
        finally
        {
            _once.Release();
        }

        return _failures.Count == 0 ? null : "preflight failed before the first side effect";
    }

    private async Task<IReadOnlyList<BuildFailure>> RunLateChecksAsync()
    {
        var failures = new List<BuildFailure>();
        foreach (var planned in plan.Targets.Where(t => t.Status == TargetStatus.Pending))
        {
            var checks = new PreflightChecks(planned.Name, context, name => PreflightStep.IsPending(plan, name));
            foreach (var check in planned.Target.Definition.LateChecks)
            {
                try
                {
                    await check(checks);
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
                                or HttpRequestException
                    )
                {
                    checks.Fail($"preflight check failed: {e.Message}");
                    context.Output.Write(LogLevel.Debug, $"{planned.Name}: {e}");
                }
            }

            failures.AddRange(checks.Problems.Select(p => new BuildFailure($"{planned.Name}: {p}")));
        }

        return failures;
    }
}
