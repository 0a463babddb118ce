using Pipeline.Engine.Execution;
using Pipeline.Engine.Results;
using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Tests;

/// <summary>Make works on three items, fails for "b" and keeps "a" and "c"; Ship depends on Make and ships what it
/// made.</summary>
public interface IBatch : IPipelineBuild
{
    List<string> Shipped { get; }

    /// <summary>Items Make fails for; all three makes it a whole failure.</summary>
    string[] Broken => ["b"];

    IReadOnlyList<string>? Made => this.Result(() => Made);

    Target Make =>
        _ =>
            _.Produces(() => Made)
                .Executes(() =>
                {
                    string[] items = ["a", "b", "c"];
                    this.SetResult(() => Made, items.Except(Broken).ToList());
                    throw new PartialFailure(
                        $"Make: {Broken.Length} of 3 item(s) failed: "
                            + $"{string.Join("; ", Broken.Select(b => $"{b}: broken"))}",
                        Broken,
                        3,
                        "items"
                    );
                });

    Target Ship => _ => _.DependsOn<IBatch>(x => x.Make).Executes(() => Shipped.AddRange(Made ?? []));

    Target Lint => _ => _.Executes(() => Shipped.Add("lint"));
}

public sealed class PartialFailureTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private sealed class Plain : PipelineBuild, IBatch
    {
        public List<string> Shipped { get; } = [];
    }

    /// <summary>The build class re-declares the component's target with ProceedAfterFailure, as a NUKE user
    /// would.</summary>
    private sealed class Proceeding : PipelineBuild, IBatch
    {
        public List<string> Shipped { get; } = [];
        public string[] Broken { get; init; } = ["b"];
        Target IBatch.Make => _ => _.Inherit<IBatch>(x => x.Make).ProceedAfterFailure();
    }

    [Theory]
    [InlineData("1")]
    [InlineData("4")]
    public async Task Without_proceed_after_failure_a_partial_failure_stops_the_build_but_keeps_what_worked(
        string parallel
    )
    {
        var build = new Plain();

        Assert.Equal(1, await _harness.RunAsync(build, "Ship", "Lint", "--parallel", parallel));

        Assert.DoesNotContain("a", build.Shipped);
        Assert.Matches(
            @"Make\s+failed \(1 of 3 items\)\s+\S+s\s+Make: 1 of 3 item\(s\) failed: b: broken",
            _harness.Output
        );
        Assert.Matches(@"Ship\s+not run", _harness.Output);
        Assert.Contains("error: Build failed: Make (b)", _harness.Output);
        // The items that worked are real results: saved where a later job or --skip finds them.
        Assert.Contains("\"a\"", _harness.ReadFile("artifacts/results/Make.Made.json"));
        Assert.DoesNotContain("\"b\"", _harness.ReadFile("artifacts/results/Make.Made.json"));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("4")]
    public async Task With_proceed_after_failure_on_the_target_dependents_go_on_with_the_items_that_worked(
        string parallel
    )
    {
        var build = new Proceeding();

        Assert.Equal(1, await _harness.RunAsync(build, "Ship", "Lint", "--parallel", parallel));

        Assert.Equal(["a", "c", "lint"], build.Shipped.Order());
        Assert.Contains(
            "warning: Ship: Make failed for 1 of 3 items (b); going on with the others (proceed after failure)",
            _harness.Output
        );
        Assert.Matches(@"Make\s+failed \(1 of 3 items\)", _harness.Output);
        Assert.Matches(@"Ship\s+succeeded", _harness.Output);
        Assert.Single(_harness.Output.Split('\n'), l => l.StartsWith("error: Make:", StringComparison.Ordinal));
        Assert.Contains("error: Build failed: Make (b)", _harness.Output);
    }

    [Fact]
    public async Task The_command_line_option_makes_every_target_proceed()
    {
        var build = new Plain();

        Assert.Equal(1, await _harness.RunAsync(build, "Ship", "--proceed-after-failure"));

        Assert.Equal(["a", "c"], build.Shipped);
        Assert.Contains("Build failed: Make (b)", _harness.Output);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("4")]
    public async Task When_every_item_failed_dependents_do_not_run_even_with_proceed_after_failure(string parallel)
    {
        var build = new Proceeding { Broken = ["a", "b", "c"] };

        Assert.Equal(1, await _harness.RunAsync(build, "Ship", "Lint", "--parallel", parallel));

        Assert.Equal(["lint"], build.Shipped); // an independent target still runs: the build was not halted
        Assert.Matches(@"Make\s+failed \(3 of 3 items\)", _harness.Output);
        Assert.Matches(@"Ship\s+not run\s+dependency Make failed", _harness.Output);
    }

    [Fact]
    public async Task A_misspelt_or_misused_option_is_refused_in_one_line()
    {
        Assert.Equal(2, await _harness.RunAsync(new Plain(), "Ship", "--proceed-after-failures"));
        Assert.Contains(
            "Unknown option --proceed-after-failures (did you mean '--proceed-after-failure'?)",
            _harness.Output
        );

        // A word after the switch that is no target was meant as its value: named, not a silent "false".
        Assert.Equal(2, await _harness.RunAsync(new Plain(), "Ship", "--proceed-after-failure", "always"));
        Assert.Contains(
            "error: --proceed-after-failure is a switch: give it alone or "
                + "as --proceed-after-failure=true|false|1|0|yes|no, not 'always'",
            _harness.Output
        );
        Assert.DoesNotContain("Exception", _harness.Output);
    }
}
