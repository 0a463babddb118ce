using Pipeline.Engine.Execution;
using Pipeline.Engine.Targets;
using Pipeline.Testing;

namespace Pipeline.Engine.Tests;

/// <summary>
/// An interrupted run (SIGINT/SIGTERM in ./build.sh; here the caller's token, which takes the same path): the running
/// target sees <see cref="BuildContext.Cancellation"/> and may undo what it started, nothing new starts, assured
/// cleanup still runs, and the run ends with one line and exit code 130.
/// </summary>
public sealed class InterruptionTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private sealed class Interruptible : PipelineBuild
    {
        public Recorder Recorder { get; } = new();
        public TaskCompletionSource Waiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        Target Push =>
            _ =>
                _.Executes(async () =>
                {
                    Waiting.SetResult();
                    try
                    {
                        await Task.Delay(TimeSpan.FromMinutes(5), BuildContext.Current.Cancellation);
                    }
                    catch (OperationCanceledException)
                    {
                        Recorder.Record("Push undone")();
                        throw;
                    }
                });

        Target Release => _ => _.DependsOn(Push).Executes(Recorder.Record("Release"));
        Target Cleanup => _ => _.AssuredAfterFailure().After(Release).Executes(Recorder.Record("Cleanup"));
    }

    [Fact]
    public async Task An_interrupted_run_lets_the_running_target_undo_starts_nothing_new_and_exits_130()
    {
        var build = new Interruptible();
        using var interrupt = new CancellationTokenSource();
        _harness.Environment.TryAdd("PIPELINE_CACHE_DIR", _harness.CacheDirectory);

        var run = BuildRun.RunBareAsync(
            build,
            ["Release", "Cleanup", "--root", _harness.Root],
            _harness.Environment,
            interrupt.Token,
            "Release"
        );
        await build.Waiting.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await interrupt.CancelAsync();
        var (exit, output) = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(130, exit);
        Assert.Equal(["Push undone", "Cleanup"], build.Recorder.Ran);
        Assert.Contains("Push: interrupted by cancellation requested", output, StringComparison.Ordinal);
        Assert.Matches(@"Release\s+not run\s+build interrupted", output);
        Assert.Contains(
            "Build interrupted by cancellation requested: Push stopped; run it again to finish",
            output,
            StringComparison.Ordinal
        );
        Assert.DoesNotContain("OperationCanceledException", output, StringComparison.Ordinal);
    }
}
