using Pipeline.Engine.Execution;
using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Tests;

public sealed class FailureTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private sealed class Failing : PipelineBuild
    {
        public Recorder Recorder { get; } = new();
        Target Default => _ => _.DependsOn(Package);
        Target Compile => _ => _.Executes(Recorder.Record("Compile"));
        Target Test =>
            _ => _.DependsOn(Compile).Executes(() => throw new BuildFailure("3 tests failed", "tests/A.cs", 12));
        Target Lint => _ => _.After(Test).Executes(Recorder.Record("Lint"));
        Target Package => _ => _.DependsOn(Test).Executes(Recorder.Record("Package"));
        Target Cleanup => _ => _.AssuredAfterFailure().After(Package, Lint).Executes(Recorder.Record("Cleanup"));
    }

    private sealed class FailingProceeds : PipelineBuild
    {
        public Recorder Recorder { get; } = new();
        Target Default => _ => _.DependsOn(Package);
        Target Test => _ => _.ProceedAfterFailure().Executes(() => throw new InvalidOperationException("boom"));
        Target Lint => _ => _.After(Test).Executes(Recorder.Record("Lint"));
        Target Package => _ => _.DependsOn(Test).Executes(Recorder.Record("Package"));
    }

    [Fact]
    public async Task A_failure_stops_dependents_halts_the_build_and_assured_targets_still_run()
    {
        var build = new Failing();
        Assert.Equal(1, await _harness.RunAsync(build, "Package", "Lint", "Cleanup"));
        Assert.Equal(["Compile", "Cleanup"], build.Recorder.Ran);
        Assert.Matches(@"Test\s+failed\s+\S+s\s+3 tests failed", _harness.Output);
        Assert.Matches(@"Package\s+not run\s+build stopped after Test failed", _harness.Output);
        Assert.Matches(@"Lint\s+not run", _harness.Output);
        Assert.Matches(@"Cleanup\s+succeeded", _harness.Output);
        Assert.Contains("tests/A.cs:12: Test: 3 tests failed", _harness.Output);
        Assert.Contains("Build failed: Test", _harness.Output);
    }

    [Fact]
    public async Task Proceed_after_failure_keeps_independent_targets_running_but_never_dependents()
    {
        var build = new FailingProceeds();
        Assert.Equal(1, await _harness.RunAsync(build, "Package", "Lint"));
        Assert.Equal(["Lint"], build.Recorder.Ran);
        Assert.Matches(@"Package\s+not run\s+dependency Test failed", _harness.Output);
        Assert.Contains("Test: boom", _harness.Output);
        Assert.DoesNotContain("InvalidOperationException", _harness.Output); // the type and stack only when verbose

        Assert.Equal(1, await _harness.RunAsync(new FailingProceeds(), "Package", "--verbosity", "verbose"));
        Assert.Contains("System.InvalidOperationException: boom", _harness.Output);
    }

    private sealed class Conditional : PipelineBuild
    {
        public Recorder Recorder { get; } = new();
        public bool Enabled { get; init; }
        Target Default => _ => _.DependsOn(Deploy);
        Target Restore => _ => _.Executes(Recorder.Record("Restore"));
        Target Compile => _ => _.DependsOn(Restore).Executes(Recorder.Record("Compile"));
        Target Docs =>
            _ =>
                _.DependsOn(Restore)
                    .OnlyWhenStatic(() => Enabled, "docs are disabled")
                    .Executes(Recorder.Record("Docs"));
        Target Deploy =>
            _ =>
                _.DependsOn(Docs, Compile)
                    .OnlyWhenDynamic(() => Recorder.Ran.Contains("Docs"), "no docs were built")
                    .Executes(Recorder.Record("Deploy"));
        Target DocsOnly => _ => _.DependsOn(Docs).Executes(Recorder.Record("DocsOnly"));
    }

    [Fact]
    public async Task Static_conditions_skip_the_target_and_dependencies_only_it_needed()
    {
        var build = new Conditional { Enabled = false };
        Assert.Equal(0, await _harness.RunAsync(build, "DocsOnly"));
        Assert.Equal(["DocsOnly"], build.Recorder.Ran);
        Assert.Matches(@"Docs\s+skipped\s+docs are disabled", _harness.Output);
        Assert.Matches(@"Restore\s+skipped\s+only needed by skipped targets", _harness.Output);
    }

    [Fact]
    public async Task Dynamic_conditions_are_evaluated_right_before_the_target()
    {
        var off = new Conditional { Enabled = false };
        Assert.Equal(0, await _harness.RunAsync(off, "Deploy"));
        Assert.Equal(["Restore", "Compile"], off.Recorder.Ran);
        Assert.Matches(@"Deploy\s+skipped\s+no docs were built", _harness.Output);

        var on = new Conditional { Enabled = true };
        Assert.Equal(0, await _harness.RunAsync(on, "Deploy"));
        // Compile and Docs only both follow Restore: side by side either may record first.
        Assert.Equal(
            ["Restore", "Compile", "Docs", "Deploy"],
            on.Recorder.Ran.Order(Comparer<string>.Create((a, b) => Rank(a) - Rank(b)))
        );
        Assert.Equal(["Restore", "Deploy"], [on.Recorder.Ran[0], on.Recorder.Ran[^1]]);

        static int Rank(string name) => Array.IndexOf(["Restore", "Compile", "Docs", "Deploy"], name);
    }
}
