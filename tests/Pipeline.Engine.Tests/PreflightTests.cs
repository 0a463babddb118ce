using Pipeline.Engine.Parameters;
using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Tests;

/// <summary>
/// Preflight: input checks of the whole plan before any target runs, and late checks (network, products of earlier
/// targets) once, right before the first target that declares side effects. Problems are all reported, exit code 2.
/// </summary>
public sealed class PreflightTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private sealed class Publishing : PipelineBuild
    {
        public Recorder Recorder { get; } = new();

        public bool LateProblem { get; init; }

        [Parameter("Where releases go")]
        readonly string ApiUrl = "https://api.example/";

        [Parameter("Minimum coverage")]
        readonly double Threshold = 80;

        [Parameter("Registry port")]
        readonly int Port = 5000;

        [Parameter("Registry host")]
        readonly string RegistryHost = "127.0.0.1";

        Target Default => _ => _.DependsOn(Release);
        Target Test => _ => _.Executes(Recorder.Record("Test"));
        Target Coverage =>
            _ =>
                _.DependsOn(Test)
                    .Preflight(c => c.Percentage(Threshold, nameof(Threshold)))
                    .Executes(Recorder.Record("Coverage"));
        Target Tag => _ => _.DependsOn(Coverage).HasSideEffects("pushes a tag").Executes(Recorder.Record("Tag"));
        Target Push =>
            _ =>
                _.DependsOn(Tag)
                    .HasSideEffects("pushes an image")
                    .Preflight(c =>
                    {
                        c.Port(Port, nameof(Port));
                        c.Host(RegistryHost, nameof(RegistryHost));
                    })
                    .Executes(Recorder.Record("Push"));
        Target Release =>
            _ =>
                _.DependsOn(Push)
                    .HasSideEffects("publishes a release")
                    .Preflight(c => c.HttpUrl(ApiUrl, nameof(ApiUrl)))
                    .PreflightBeforeSideEffects(c =>
                    {
                        Recorder.Record("late check")();
                        if (LateProblem)
                            c.Fail("the API did not answer");
                        return Task.CompletedTask;
                    })
                    .Executes(Recorder.Record("Release"));
    }

    [Fact]
    public async Task Every_bad_input_of_the_plan_is_reported_at_once_and_nothing_runs()
    {
        _harness.WriteFile(
            "deploy/config.env",
            "API_URL=htp:/nowhere\nTHRESHOLD=150\nPORT=70000\nREGISTRY_HOST=bad host!\n"
        );
        var build = new Publishing();

        Assert.Equal(2, await _harness.RunAsync(build));

        Assert.Empty(build.Recorder.Ran);
        Assert.Contains(
            "Release: --api-url (from deploy/config.env:1): 'htp:/nowhere' is not an http(s) address",
            _harness.Output
        );
        Assert.Contains(
            "Coverage: --threshold (from deploy/config.env:2): 150 is not a percentage (0–100)",
            _harness.Output
        );
        Assert.Contains("Push: --port (from deploy/config.env:3): 70000 is outside 1–65535", _harness.Output);
        Assert.Contains(
            "Push: --registry-host (from deploy/config.env:4): 'bad host!' is not a host name or address",
            _harness.Output
        );
        Assert.DoesNotContain("Exception", _harness.Output);
    }

    [Fact]
    public async Task A_late_problem_stops_the_build_before_its_first_side_effect()
    {
        var build = new Publishing { LateProblem = true };

        Assert.Equal(2, await _harness.RunAsync(build));

        // Test and Coverage change nothing outside the checkout: they ran. Tag would have: it did not, nor anything
        // after it.
        Assert.Equal(["Test", "Coverage", "late check"], build.Recorder.Ran);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(_harness.Output, "Release: the API did not answer"));
        Assert.Matches(@"Tag\s+not run\s+preflight failed before the first side effect", _harness.Output);
        Assert.Matches(@"Release\s+not run", _harness.Output);
        Assert.Contains("Build stopped before its first side effect: preflight failed", _harness.Output);
    }

    [Fact]
    public async Task Late_checks_run_once_before_the_first_side_effect_and_then_the_build_goes_on()
    {
        var build = new Publishing();

        Assert.Equal(0, await _harness.RunAsync(build));

        Assert.Equal(["Test", "Coverage", "late check", "Tag", "Push", "Release"], build.Recorder.Ran);
    }

    [Fact]
    public async Task Skipped_targets_are_not_checked()
    {
        _harness.WriteFile("deploy/config.env", "API_URL=htp:/nowhere\n");
        var build = new Publishing();

        Assert.Equal(0, await _harness.RunAsync(build, "Coverage"));

        Assert.Equal(["Test", "Coverage"], build.Recorder.Ran);
    }
}
