using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Report;
using Pipeline.Engine.Results;
using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Tests.Report;

/// <summary>Two lanes joined by a third: Slow and Fast side by side, Join after both, so Slow → Join is the critical
/// path.</summary>
internal sealed class LanesBuild : PipelineBuild
{
    [Parameter("Registry password"), Secret]
    public string? RegistryPassword;

    [Parameter("Where images go")]
    public string? ImageName;

    // Side by side for certain: each waits until the other has started (on a loaded machine a late thread could
    // otherwise start Fast after Slow ended, and both would share one lane).
    private readonly Barrier _bothStarted = new(2);

    Target Slow =>
        _ =>
            _.Executes(() =>
            {
                _bothStarted.SignalAndWait(TimeSpan.FromSeconds(30));
                Thread.Sleep(400);
            });

    Target Fast =>
        _ =>
            _.Executes(() =>
            {
                _bothStarted.SignalAndWait(TimeSpan.FromSeconds(30));
                Thread.Sleep(100);
            });

    Target Join => _ => _.DependsOn(Slow, Fast).Executes(() => Log.Info($"joined with {RegistryPassword}"));
}

/// <summary>A run that fails, its message carrying the secret: the report must show the failure, never the
/// secret.</summary>
internal sealed class FailingBuild : PipelineBuild
{
    [Parameter("Registry password"), Secret]
    public string? RegistryPassword;

    Target Compile => _ => _.Executes(() => Thread.Sleep(50));

    Target Publish =>
        _ => _.DependsOn(Compile).Executes(() => throw new BuildFailure($"upload refused for <{RegistryPassword}>"));
}

/// <summary>
/// A stand-in for a component result that shows itself in the report (the real ones, tests and coverage, are checked on
/// real runs in the Components tests): one item per service, joined into one section, with a figure the next run
/// compares against.
/// </summary>
internal sealed record ShipCheck(string Service, int Passed, string Note) : IReportSection
{
    public ReportSection ToReportSection(ReportInput input) =>
        new("shipped", "Shipped")
        {
            Lead = input.Previous.TryGetValue("passed:" + Service, out var before)
                ? $"{Service} against the previous run: {Passed - before:+0;-0;±0}."
                : $"{Service}: no earlier run.",
            Tables =
            [
                new ReportTable(
                    "Services",
                    ["Service", "Passed", "Note"],
                    [
                        new ReportRow(
                            [Service, Passed.ToString(System.Globalization.CultureInfo.InvariantCulture), Note],
                            Bad: Passed == 0
                        ),
                    ]
                ),
            ],
            Figures = new Dictionary<string, double> { ["passed:" + Service] = Passed },
        };
}

/// <summary>Compile is cached on src/** (a miss, then a hit, then a miss naming the changed file); Ship sets a result
/// per service carrying the secret.</summary>
internal sealed class ShippingBuild : PipelineBuild
{
    [Parameter("Registry password"), Secret]
    public string? RegistryPassword;

    [Parameter("Tests that passed for api")]
    public int ApiPassed;

    public IReadOnlyList<ShipCheck>? Shipped => this.Result(() => Shipped);

    Target Compile =>
        _ =>
            _.Inputs(i => i.Files("src/**"))
                .Produces("artifacts/app.txt")
                .Executes(() =>
                {
                    Thread.Sleep(50);
                    Directory.CreateDirectory(RootDirectory / "artifacts");
                    File.WriteAllText(
                        RootDirectory / "artifacts" / "app.txt",
                        File.ReadAllText(RootDirectory / "src" / "input.txt")
                    );
                });

    Target Ship =>
        _ =>
            _.DependsOn(Compile)
                .Produces(() => Shipped)
                .Executes(() =>
                    this.SetResult(
                        () => Shipped,
                        [
                            new ShipCheck("api", ApiPassed, $"pushed with {RegistryPassword}"),
                            new ShipCheck("web", 3, "pushed"),
                        ]
                    )
                );
}

/// <summary>Two targets that use one shared resource: side by side they cannot run, so the second queues behind the
/// first.</summary>
internal sealed class QueueingBuild : PipelineBuild
{
    Target First => _ => _.Uses("test-db").Executes(() => Thread.Sleep(300));

    Target Second => _ => _.Uses("test-db").Executes(() => Thread.Sleep(50));

    Target Both => _ => _.DependsOn(First, Second).Executes(() => { });
}
