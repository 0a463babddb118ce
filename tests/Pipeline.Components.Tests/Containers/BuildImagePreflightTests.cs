using Pipeline.Testing;

namespace Pipeline.Components.Tests.Containers;

/// <summary>BuildImage's own checks run before anything else does (no container engine needed to refuse).</summary>
public sealed class BuildImagePreflightTests : IDisposable
{
    private readonly TempFolder _root = new("pipeline-buildimage-preflight-");

    public void Dispose() => _root.Dispose();

    [Theory]
    [InlineData("0")]
    [InlineData("9")]
    public async Task A_build_concurrency_out_of_range_is_refused_in_a_one_image_repository_too(string value)
    {
        ContainerBuildRun.InitRepository(_root.Path);

        var run = await ContainerBuildRun.RunAsync(
            _root.Path,
            new Dictionary<string, string>(),
            "BuildImage",
            "--service-build-concurrency",
            value
        );

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--service-build-concurrency", run.Output);
        Assert.Contains(value, run.Output);
        Assert.DoesNotContain("=== ", run.Output); // no target started
        Assert.False(Directory.Exists(Path.Combine(_root.Path, "artifacts", "images")));
    }
}
