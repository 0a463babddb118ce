namespace Pipeline.Engine.Tests.Report;

/// <summary>Two lanes joined by a third: Slow and Fast side by side, Join after both, so Slow → Join is the critical path.</summary>
internal sealed class LanesBuild : PipelineBuild
{
    [Parameter("Registry password"), Secret] public string? RegistryPassword;

    [Parameter("Where images go")] public string? ImageName;

    Target Slow => _ => _.Executes(() => Thread.Sleep(400));

    Target Fast => _ => _.Executes(() => Thread.Sleep(100));

    Target Join => _ => _.DependsOn(Slow, Fast).Executes(() => Log.Info($"joined with {RegistryPassword}"));
}

/// <summary>A run that fails, its message carrying the secret: the report must show the failure, never the secret.</summary>
internal sealed class FailingBuild : PipelineBuild
{
    [Parameter("Registry password"), Secret] public string? RegistryPassword;

    Target Compile => _ => _.Executes(() => Thread.Sleep(50));

    Target Publish => _ => _.DependsOn(Compile).Executes(() => throw new BuildFailure($"upload refused for <{RegistryPassword}>"));
}
