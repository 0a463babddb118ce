using Pipeline.Engine.Parameters;
using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Tests;

/// <summary>
/// One grammar for the command line: each option's arity is known before a token is read, so a switch never takes a
/// target as its value, targets may stand before or after options, and a switch's explicit value is one of
/// true/false/1/0/yes/no (as <c>--x=value</c> or the next token) or the run stops with exit 2 naming the option.
/// </summary>
public sealed class CommandLineGrammarTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private sealed class Chain : PipelineBuild
    {
        public Recorder Recorder { get; } = new();

        [Parameter("Burn for real")]
        public bool Apply;

        [Parameter("Tags")]
        public string[] Tags = ["default"];

        [Parameter("Note")]
        public string Note = "";
        Target Default => _ => _.Executes(Recorder.Record("Default"));
        Target Compile => _ => _.Executes(Recorder.Record("Compile"));
        Target Release => _ => _.DependsOn(Compile).Executes(Recorder.Record("Release"));
    }

    [Theory]
    [InlineData("--plan", "Release")]
    [InlineData("Release", "--plan")]
    [InlineData("--plan=true", "Release")]
    [InlineData("--plan", "yes", "Release")]
    public async Task Plan_before_or_after_the_target_prints_that_targets_plan_and_runs_nothing(params string[] args)
    {
        var build = new Chain();

        Assert.Equal(0, await _harness.RunAsync(build, args));

        Assert.Empty(build.Recorder.Ran);
        Assert.Contains("2. Release", _harness.Output);
    }

    [Theory]
    [InlineData(
        new[] { "--plan", "please" },
        "--plan is a switch: give it alone or as --plan=true|false|1|0|yes|no, not 'please'"
    )]
    [InlineData(new[] { "Release", "--plan", "please" }, "--plan is a switch")]
    [InlineData(new[] { "--help", "x" }, "--help is a switch")]
    [InlineData(
        new[] { "Release", "--help", "--plan=maybe" },
        "--plan is a switch: give it alone or as --plan=true|false|1|0|yes|no, not 'maybe'"
    )]
    [InlineData(new[] { "--no-cache", "maybe" }, "--no-cache is a switch")]
    [InlineData(new[] { "--verify-cache", "maybe" }, "--verify-cache is a switch")]
    [InlineData(new[] { "--generate-workflows", "maybe" }, "--generate-workflows is a switch")]
    [InlineData(new[] { "Release", "--apply", "on" }, "--apply is a switch")]
    [InlineData(new[] { "Release", "--apply=maybe" }, "--apply is a switch")]
    [InlineData(new[] { "--parallel=many" }, "--parallel takes one whole number")]
    [InlineData(new[] { "--parallel", "0" }, "--parallel takes one whole number")]
    [InlineData(new[] { "--note" }, "--note needs a value")]
    [InlineData(new[] { "--note", "a", "--note", "b" }, "--note is given more than once")]
    [InlineData(new[] { "--tags" }, "--tags needs at least one value")]
    [InlineData(new[] { "--tags", "" }, "--tags needs at least one value")]
    [InlineData(new[] { "--plam" }, "Unknown option --plam (did you mean '--plan'?)")]
    [InlineData(new[] { "Relase", "--help" }, "Unknown target 'Relase' (did you mean 'Release'?)")]
    public async Task A_misread_line_is_exit_2_naming_the_option_and_nothing_runs(string[] args, string says)
    {
        var build = new Chain();

        Assert.Equal(2, await _harness.RunAsync(build, args));

        Assert.Empty(build.Recorder.Ran);
        Assert.Contains(says, _harness.Output);
        Assert.DoesNotContain("Execution plan", _harness.Output);
        Assert.DoesNotContain("Usage:", _harness.Output);
    }

    [Theory]
    [InlineData("--apply", "Release")]
    [InlineData("Release", "--apply")]
    [InlineData("--apply", "true", "Release")]
    [InlineData("--apply=1", "Release")]
    [InlineData("--Apply", "Release")]
    public async Task A_bool_parameter_is_a_switch_and_the_target_after_it_runs(params string[] args)
    {
        var build = new Chain();

        Assert.Equal(0, await _harness.RunAsync(build, args));

        Assert.True(build.Apply);
        Assert.Equal(["Compile", "Release"], build.Recorder.Ran);
    }

    [Fact]
    public async Task An_explicit_false_turns_a_switch_off()
    {
        var build = new Chain();

        Assert.Equal(0, await _harness.RunAsync(build, "Release", "--apply", "no", "--no-cache=false"));

        Assert.False(build.Apply);
        Assert.Equal(["Compile", "Release"], build.Recorder.Ran);
    }

    [Fact]
    public async Task Parallel_takes_a_number_only_and_a_list_takes_the_words_up_to_the_next_option()
    {
        var build = new Chain();

        Assert.Equal(
            0,
            await _harness.RunAsync(
                build,
                "--parallel",
                "Release",
                "--tags",
                "a",
                "b",
                "--note=-x",
                "--skip",
                "Compile"
            )
        );

        Assert.Equal(["Release"], build.Recorder.Ran);
        Assert.Equal(["a", "b"], build.Tags);
        Assert.Equal("-x", build.Note);
    }

    [Fact]
    public async Task Help_runs_nothing_whatever_else_is_on_the_line()
    {
        var build = new Chain();

        Assert.Equal(0, await _harness.RunAsync(build, "Release", "--help", "--apply", "--parallel", "2"));

        Assert.Empty(build.Recorder.Ran);
        Assert.Contains("Usage:", _harness.Output);
        Assert.Contains("  --apply ", _harness.Output);
        Assert.Contains("  --tags <string>... ", _harness.Output);
    }
}
