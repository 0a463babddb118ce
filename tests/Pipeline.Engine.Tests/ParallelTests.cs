using System.Text.RegularExpressions;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Engine.Targets;
using Pipeline.Testing;
using Spectre.Console;

namespace Pipeline.Engine.Tests;

public sealed class ParallelTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    /// <summary>A and B each wait until the other has started: they can only both finish when they ran side by
    /// side.</summary>
    private sealed class Meeting : PipelineBuild
    {
        private readonly CountdownEvent _bothStarted = new(2);
        public Recorder Recorder { get; } = new();
        Target Default => _ => _.DependsOn(Join);
        Target A => _ => _.Executes(() => Meet("A"));
        Target B => _ => _.Executes(() => Meet("B"));
        Target Join => _ => _.DependsOn(A, B).Executes(Recorder.Record("Join"));

        private void Meet(string name)
        {
            _bothStarted.Signal();
            if (!_bothStarted.Wait(Patience))
                throw new BuildFailure($"{name} never saw its peer start");
            Log.Info($"{name} met its peer");
            Recorder.Record(name)();
        }
    }

    [Fact]
    public async Task Independent_targets_run_side_by_side_and_dependents_wait_for_both()
    {
        var build = new Meeting();
        Assert.Equal(0, await _harness.RunAsync(build, "--parallel", "2"));
        Assert.Equal("Join", build.Recorder.Ran[^1]);
        Assert.Equal(3, build.Recorder.Ran.Count);
    }

    private sealed class Ordered : PipelineBuild
    {
        public Recorder Recorder { get; } = new();
        Target Default => _ => _.DependsOn(Package, Docs, Lint);
        Target Compile => _ => _.Executes(Recorder.Record("Compile"));
        Target Docs => _ => _.After(Publish).Executes(Recorder.Record("Docs"));
        Target Lint => _ => _.Before(Compile).Executes(Recorder.Record("Lint"));
        Target Package => _ => _.DependsOn(Compile).Triggers(Publish).Executes(Recorder.Record("Package"));
        Target Publish => _ => _.Executes(Recorder.Record("Publish"));
    }

    [Fact]
    public async Task Parallel_one_runs_the_plan_order_and_relations_hold_at_any_width()
    {
        var one = new Ordered();
        Assert.Equal(0, await _harness.RunAsync(one, "--parallel", "1"));
        Assert.Equal(["Lint", "Compile", "Package", "Publish", "Docs"], one.Recorder.Ran);

        // Before, DependsOn, Triggers and After chain these five: no width may reorder them.
        var four = new Ordered();
        Assert.Equal(0, await _harness.RunAsync(four, "--parallel", "4"));
        Assert.Equal(["Lint", "Compile", "Package", "Publish", "Docs"], four.Recorder.Ran);
    }

    /// <summary>Engine1 and Engine2 share the container engine; Other may overlap either of them.</summary>
    private sealed class Contending : PipelineBuild
    {
        private int _inEngine;
        public int MostInEngine { get; private set; }
        public ManualResetEventSlim OtherStarted { get; } = new();
        Target Default => _ => _.DependsOn(Engine1, Engine2, Other);
        Target Engine1 => _ => _.Uses(SharedResources.ContainerEngine).Executes(UseEngine);
        Target Engine2 => _ => _.Uses(SharedResources.ContainerEngine).Executes(UseEngine);
        Target Other => _ => _.Executes(() => OtherStarted.Set());

        private void UseEngine()
        {
            MostInEngine = Math.Max(MostInEngine, Interlocked.Increment(ref _inEngine));
            // Holds the engine until Other ran: with 3 slots the only thing that keeps Engine2 out is the resource.
            Assert.True(OtherStarted.Wait(Patience));
            Thread.Sleep(50);
            Interlocked.Decrement(ref _inEngine);
        }
    }

    [Fact]
    public async Task Targets_that_use_one_resource_never_run_together()
    {
        var build = new Contending();
        Assert.Equal(0, await _harness.RunAsync(build, "--parallel", "3"));
        Assert.Equal(1, build.MostInEngine);
        Assert.Matches(@"Engine2\s+succeeded", _harness.Output);
    }

    /// <summary>Slow is running when Fast fails: Slow finishes, Later (independent, not started) does not start,
    /// Cleanup runs.</summary>
    private sealed class FailingSideBySide : PipelineBuild
    {
        private readonly ManualResetEventSlim _slowStarted = new();
        private readonly ManualResetEventSlim _fastFailed = new();
        public Recorder Recorder { get; } = new();
        Target Default => _ => _.DependsOn(Slow, Package, Later, Cleanup);
        Target Slow =>
            _ =>
                _.Executes(() =>
                {
                    _slowStarted.Set();
                    Assert.True(_fastFailed.Wait(Patience));
                    Thread.Sleep(100); // the runner has seen the failure before Slow ends
                    Recorder.Record("Slow")();
                });

        Target Fast =>
            _ =>
                _.Executes(() =>
                {
                    Assert.True(_slowStarted.Wait(Patience));
                    _fastFailed.Set();
                    throw new BuildFailure("fast broke");
                });

        Target Package => _ => _.DependsOn(Fast).Executes(Recorder.Record("Package"));
        Target Later => _ => _.After(Slow, Fast).Executes(Recorder.Record("Later"));
        Target Cleanup => _ => _.AssuredAfterFailure().After(Package, Later).Executes(Recorder.Record("Cleanup"));
    }

    [Fact]
    public async Task A_failure_lets_running_targets_finish_starts_nothing_new_and_still_runs_assured_targets()
    {
        var build = new FailingSideBySide();
        Assert.Equal(1, await _harness.RunAsync(build, "--parallel", "2"));
        Assert.Equal(["Slow", "Cleanup"], build.Recorder.Ran);
        Assert.Matches(@"Slow\s+succeeded", _harness.Output);
        Assert.Matches(@"Fast\s+failed\s+\S+s\s+fast broke", _harness.Output);
        Assert.Matches(@"Package\s+not run\s+build stopped after Fast failed", _harness.Output);
        Assert.Matches(@"Later\s+not run\s+build stopped after Fast failed", _harness.Output);
        Assert.Matches(@"Cleanup\s+succeeded", _harness.Output);
    }

    /// <summary>Two targets interleave their lines in time; each one's lines must still come out together,
    /// masked.</summary>
    private sealed class Chatty : PipelineBuild
    {
        private readonly Barrier _step = new(2);
        Target Default => _ => _.DependsOn(Left, Right);
        Target Left => _ => _.Executes(() => Talk("left"));
        Target Right => _ => _.Executes(() => Talk("right"));

        private void Talk(string who)
        {
            for (var i = 0; i < 3; i++)
            {
                Log.Info(
                    $"{who} line {i} token {Environment.GetEnvironmentVariable("UNUSED") ?? "ghp_parallelCanary42"}"
                );
                Assert.True(_step.SignalAndWait(Patience)); // lines of both targets alternate in time
            }
        }
    }

    [Fact]
    public async Task On_CI_each_targets_output_is_emitted_whole_as_its_own_group_and_still_masked()
    {
        _harness.Environment["CI"] = "true";
        _harness.Environment["DEPLOY_TOKEN"] = "ghp_parallelCanary42";
        Assert.Equal(0, await _harness.RunAsync(new Chatty(), "--parallel", "2"));
        Assert.DoesNotContain("ghp_parallelCanary42", _harness.Output);
        foreach (var who in new[] { "Left", "Right" })
        {
            var lower = who.ToLowerInvariant();
            Assert.Matches(
                new Regex(
                    $@"=== {who}\n{lower} line 0 token \*\*\*\n{lower} "
                        + $@"line 1 token \*\*\*\n{lower} line 2 token \*\*\*\n"
                ),
                _harness.Output.Replace("\r", "")
            );
        }

        // The summary table keeps the plan order, whichever finished first.
        Assert.Matches(new Regex(@"Left\s+succeeded.*\n.*Right\s+succeeded", RegexOptions.Singleline), _harness.Output);
    }

    [Fact]
    public async Task On_GitHub_Actions_each_target_is_one_group_emitted_when_it_finishes()
    {
        _harness.Environment["GITHUB_ACTIONS"] = "true";
        _harness.Environment["DEPLOY_TOKEN"] = "ghp_parallelCanary42";
        Assert.Equal(0, await _harness.RunAsync(new Chatty(), "--parallel", "2"));
        Assert.DoesNotContain("ghp_parallelCanary42", _harness.Output.Replace("::add-mask::ghp_parallelCanary42", ""));
        var text = _harness.Output.Replace("\r", "");
        Assert.Matches(
            new Regex(
                @"::group::Left\nleft line 0 token \*\*\*\nleft line "
                    + @"1 token \*\*\*\nleft line 2 token \*\*\*\n::endgroup::"
            ),
            text
        );
        Assert.Matches(
            new Regex(
                @"::group::Right\nright line 0 token \*\*\*\nright line "
                    + @"1 token \*\*\*\nright line 2 token \*\*\*\n::endgroup::"
            ),
            text
        );
    }

    /// <summary>
    /// Alone is streamed: each target waits until the console has shown its own first line before it finishes, which
    /// only happens when its output streams. Side by side: Second starts while First streams, so it is held, and its
    /// lines come out (after First's group closed) when First finishes.
    /// </summary>
    private sealed class Streaming(WatchedConsole console) : PipelineBuild
    {
        private readonly ManualResetEventSlim _secondStarted = new();
        Target Default => _ => _.DependsOn(Alone, First, Second);
        Target Alone => _ => _.Executes(() => SayAndWaitToBeSeen("alone: step 1 of a long canary"));
        Target First =>
            _ =>
                _.After(Alone)
                    .Executes(() =>
                    {
                        SayAndWaitToBeSeen("first: streams");
                        Assert.True(_secondStarted.Wait(Patience));
                        Log.Info("first: done");
                    });

        Target Second =>
            _ =>
                _.After(Alone)
                    .Executes(() =>
                    {
                        _secondStarted.Set();
                        Log.Info("second: held while first streams");
                    });

        private void SayAndWaitToBeSeen(string line)
        {
            Log.Info(line);
            if (!console.WaitFor(line, Patience))
                throw new BuildFailure($"'{line}' did not reach the console while the target ran");
        }
    }

    [Theory]
    [InlineData("CI", "=== ")]
    [InlineData("GITHUB_ACTIONS", "::group::")]
    public async Task On_CI_a_target_running_alone_streams_its_lines_as_they_come_in_its_group(string ci, string group)
    {
        var console = new WatchedConsole();
        var environment = new Dictionary<string, string>
        {
            [ci] = "true",
            ["PIPELINE_CACHE_DIR"] = _harness.CacheDirectory,
        };

        var (exit, output) = await BuildRun.RunOnConsoleAsync(
            new Streaming(console),
            ["--parallel", "2", "--root", _harness.Root],
            environment,
            console,
            "Default"
        );

        var text = output.Replace("\r", "");
        Assert.True(exit == 0, text);
        Assert.Contains($"{group}Alone\nalone: step 1 of a long canary\n", text);
        // First streamed; Second's held line follows First's group, in Second's own group, never inside First's.
        var first = text.IndexOf($"{group}First\nfirst: streams\nfirst: done\n", StringComparison.Ordinal);
        var second = text.IndexOf($"{group}Second\nsecond: held while first streams\n", StringComparison.Ordinal);
        Assert.True(first >= 0 && second > first, text);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("many")]
    public async Task A_bad_parallel_value_stops_the_build_before_anything_runs(string value)
    {
        var build = new Ordered();
        Assert.Equal(2, await _harness.RunAsync(build, "--parallel", value));
        Assert.Empty(build.Recorder.Ran);
        Assert.Contains(
            $"--parallel takes one whole number of targets to run at a time (1 or more), not '{value}'",
            _harness.Output
        );
    }

    [Fact]
    public void A_terminal_shows_the_running_targets_with_their_latest_line()
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(
            new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.Yes,
                Interactive = InteractionSupport.Yes,
                Out = new AnsiConsoleOutput(writer),
            }
        );
        var sink = new TerminalSink(console, Verbosity.Normal);
        var seen = new ManualResetEventSlim();
        using (
            sink.ShowRunning(() =>
            {
                seen.Set();
                return
                [
                    new RunningTarget(
                        "Test",
                        "Passed!  - Failed: 0, Passed: 12 - Calc.Tests.dll",
                        TimeSpan.FromSeconds(41)
                    ),
                ];
            })
        )
        {
            Assert.True(seen.Wait(Patience));
            sink.Write(LogLevel.Info, "Lint: 0 problem(s)");
        }

        var text = writer.ToString();
        Assert.Contains("Test", text);
        Assert.Contains("41s", text);
        Assert.Contains("Passed: 12 - Calc.Tests.dll", text);
        Assert.Contains("Lint: 0 problem(s)", text);
    }

    /// <summary>A console whose text can be waited for while a build writes to it.</summary>
    private sealed class WatchedConsole : StringWriter
    {
        private readonly object _gate = new();

        public override void WriteLine(string? value)
        {
            lock (_gate)
            {
                base.WriteLine(value);
                Monitor.PulseAll(_gate);
            }
        }

        public bool WaitFor(string text, TimeSpan patience)
        {
            var deadline = DateTime.UtcNow + patience;
            lock (_gate)
            {
                while (!ToString().Contains(text, StringComparison.Ordinal))
                {
                    var left = deadline - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero || !Monitor.Wait(_gate, left))
                        return ToString().Contains(text, StringComparison.Ordinal);
                }
            }

            return true;
        }
    }
}
