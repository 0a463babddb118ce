using Pipeline.Engine.Execution;
using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Tests;

public sealed class PlannerTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private sealed class Chain : PipelineBuild
    {
        public Recorder Recorder { get; } = new();
        Target Default => _ => _.DependsOn(Pack);
        Target Clean => _ => _.Before(Restore).Executes(Recorder.Record("Clean"));
        Target Restore => _ => _.Executes(Recorder.Record("Restore"));
        Target Compile => _ => _.DependsOn(Restore).Executes(Recorder.Record("Compile"));
        Target Test => _ => _.DependsOn(Compile).Executes(Recorder.Record("Test"));
        Target Pack => _ => _.DependsOn(Compile).After(Test).Executes(Recorder.Record("Pack"));
        Target Publish => _ => _.TriggeredBy(Pack).Executes(Recorder.Record("Publish"));
        Target Notify => _ => _.Executes(Recorder.Record("Notify"));
        Target Announce => _ => _.DependsOn(Restore).Triggers(Notify).Executes(Recorder.Record("Announce"));
    }

    [Fact]
    public async Task Dependencies_run_first_and_triggered_targets_follow()
    {
        var build = new Chain();
        Assert.Equal(0, await _harness.RunAsync(build, "Pack"));
        Assert.Equal(["Restore", "Compile", "Pack", "Publish"], build.Recorder.Ran);
    }

    [Fact]
    public async Task After_and_Before_order_targets_only_when_both_are_scheduled()
    {
        var build = new Chain();
        Assert.Equal(0, await _harness.RunAsync(build, "Pack", "Test", "Clean"));
        Assert.Equal(["Clean", "Restore", "Compile", "Test", "Pack", "Publish"], build.Recorder.Ran);
    }

    [Fact]
    public async Task Triggers_schedules_the_triggered_target_after_the_trigger()
    {
        var build = new Chain();
        Assert.Equal(0, await _harness.RunAsync(build, "Announce"));
        Assert.Equal(["Restore", "Announce", "Notify"], build.Recorder.Ran);
    }

    [Fact]
    public async Task Default_target_runs_when_none_is_named()
    {
        var build = new Chain();
        Assert.Equal(0, await _harness.RunAsync(build));
        Assert.Contains("Pack", build.Recorder.Ran);
    }

    [Fact]
    public async Task Skip_with_names_skips_those_and_skip_alone_skips_all_but_the_invoked()
    {
        var build = new Chain();
        Assert.Equal(0, await _harness.RunAsync(build, "Pack", "--skip", "restore"));
        Assert.Equal(["Compile", "Pack", "Publish"], build.Recorder.Ran);

        var only = new Chain();
        Assert.Equal(0, await _harness.RunAsync(only, "Pack", "--skip"));
        Assert.Equal(["Pack"], only.Recorder.Ran);
        Assert.Contains("--skip", _harness.Output);
    }

    [Fact]
    public async Task Plan_prints_order_and_a_mermaid_graph_without_running_anything()
    {
        var build = new Chain();
        Assert.Equal(0, await _harness.RunAsync(build, "Pack", "--plan"));
        Assert.Empty(build.Recorder.Ran);
        Assert.Contains("1. Restore", _harness.Output);
        Assert.Contains("3. Pack", _harness.Output);
        Assert.Contains("```mermaid", _harness.Output);
        Assert.Contains("Compile --> Pack", _harness.Output);
        Assert.Contains("Pack -. triggers .-> Publish", _harness.Output);
    }

    private sealed class Explained : PipelineBuild
    {
        public List<string> Ran { get; } = [];

        Target Decide =>
            _ =>
                _.Uses("git index", "container engine")
                    .ExplainsPlan(() => Task.FromResult<IReadOnlyList<string>>(["2 of 3 items", "  a: changed"]))
                    .Executes(() => Ran.Add("Decide"));

        Target Work =>
            _ =>
                _.DependsOn(Decide)
                    .ExplainsPlan(() => throw new BuildFailure("the base main is not in this clone\nsecond line"))
                    .Executes(() => Ran.Add("Work"));
    }

    [Fact]
    public async Task Plan_prints_what_a_target_explains_under_it_and_one_that_cannot_tell_says_why()
    {
        var build = new Explained();

        Assert.Equal(0, await _harness.RunAsync(build, "Work", "--plan"));

        Assert.Empty(build.Ran);
        var lines = _harness.Output.Split('\n').Select(l => l.TrimEnd()).ToList();
        var decide = lines.FindIndex(l => l == "  1. Decide  [uses container engine, git index]");
        Assert.Equal("       2 of 3 items", lines[decide + 1]);
        Assert.Equal("         a: changed", lines[decide + 2]);
        Assert.Equal("  2. Work", lines[decide + 3]);
        Assert.Equal("       cannot tell before it runs: the base main is not in this clone", lines[decide + 4]);
    }

    private sealed class Cyclic : PipelineBuild
    {
        Target Default => _ => _.DependsOn(A);
        Target A => _ => _.DependsOn(B).Executes(() => { });
        Target B => _ => _.DependsOn(C).Executes(() => { });
        Target C => _ => _.After(A).Executes(() => { });
    }

    [Fact]
    public async Task A_cycle_is_reported_with_its_names_before_anything_runs()
    {
        Assert.Equal(2, await _harness.RunAsync(new Cyclic(), "A"));
        Assert.Contains("cycle", _harness.Output);
        Assert.Matches(@"A -> B -> C -> A|B -> C -> A -> B|C -> A -> B -> C", _harness.Output);
    }

    [Fact]
    public async Task An_unknown_target_gets_a_did_you_mean()
    {
        Assert.Equal(2, await _harness.RunAsync(new Chain(), "Complie"));
        Assert.Contains("Unknown target 'Complie' (did you mean 'Compile'?)", _harness.Output);
    }

    [Fact]
    public async Task An_unknown_option_gets_a_did_you_mean()
    {
        Assert.Equal(2, await _harness.RunAsync(new Chain(), "Pack", "--plna"));
        Assert.Contains("Unknown option --plna (did you mean '--plan'?)", _harness.Output);
    }
}
