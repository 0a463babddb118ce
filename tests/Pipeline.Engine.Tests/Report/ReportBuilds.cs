namespace Pipeline.Engine.Tests.Report;

/// <summary>Two lanes joined by a third: Slow and Fast side by side, Join after both, so Slow → Join is the critical path.</summary>
internal sealed class LanesBuild : PipelineBuild
{
    [Parameter("Registry password"), Secret] public string? RegistryPassword;

    [Parameter("Where images go")] public string? ImageName;

    // Side by side for certain: each waits until the other has started (on a loaded machine a late thread could
    // otherwise start Fast after Slow ended, and both would share one lane).
    private readonly Barrier _bothStarted = new(2);

    Target Slow => _ => _.Executes(() =>
    {
        _bothStarted.SignalAndWait(TimeSpan.FromSeconds(30));
        Thread.Sleep(400);
    });

    Target Fast => _ => _.Executes(() =>
    {
        _bothStarted.SignalAndWait(TimeSpan.FromSeconds(30));
        Thread.Sleep(100);
    });

    Target Join => _ => _.DependsOn(Slow, Fast).Executes(() => Log.Info($"joined with {RegistryPassword}"));
}

/// <summary>A run that fails, its message carrying the secret: the report must show the failure, never the secret.</summary>
internal sealed class FailingBuild : PipelineBuild
{
    [Parameter("Registry password"), Secret] public string? RegistryPassword;

    Target Compile => _ => _.Executes(() => Thread.Sleep(50));

    Target Publish => _ => _.DependsOn(Compile).Executes(() => throw new BuildFailure($"upload refused for <{RegistryPassword}>"));
}
