using System.Text.Json;
using Pipeline.Components.Containers;
using Pipeline.Components.Registry;
using Pipeline.Engine;
using Pipeline.Registry.Remote;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Containers;

/// <summary>
/// BuildImage hands its typed result (tags, archive) to PushGhcr: in one run, and across two runs the way a later job
/// does (<c>PushGhcr --skip BuildImage</c> with artifacts/ carried over). Real Podman API socket, real docker-registry.
/// </summary>
public class BuiltImageHandOffTests(PodmanService podman) : IClassFixture<PodmanService>, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pipeline-handoff-").FullName;

    /// <summary>A user's build: a target reading BuildImage's typed result, as README's "Adding a target" shows.</summary>
    private sealed class HandOffBuild : PipelineBuild, IBuildImage, IPushGhcr
    {
        public List<string> Seen { get; } = [];

        Target Inspect => _ => _
            .DependsOn<IBuildImage>(x => x.BuildImage)
            .Executes(() => Seen.Add(string.Join(",", ((IBuildImage)this).BuiltImage!.Tags)));
    }

    [PodmanFact]
    public async Task PushGhcr_pushes_exactly_the_tags_BuildImage_produced_in_this_run_and_in_a_later_one()
    {
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(_root, "svc")).FullName, "Containerfile"), "FROM scratch\nCOPY a.txt /a\n");
        File.WriteAllText(Path.Combine(_root, "svc", "a.txt"), "a");
        var sha = ContainerBuildRun.InitRepository(_root);
        await using var ghcr = await RegistryServer.StartAsync();
        var env = new Dictionary<string, string> { ["DOCKER_HOST"] = podman.Endpoint.ToString() };
        string[] common = ["--image-name", "handoff", "--image-context", "svc", "--ghcr-host", ghcr.Host, "--ghcr-owner", "acme", "--registries-pr", "ghcr", "--registry-retries", "0"];

        var build = new HandOffBuild();
        var first = await Quality.BuildRun.RunAsync(build, _root, env, ["Inspect", "PushGhcr", .. common]);

        Assert.True(first.ExitCode == 0, first.Output);
        string[] tags = ["main", $"main-{sha[..7]}", "latest", $"staging-{sha[..7]}"];
        Assert.Equal([string.Join(",", tags)], build.Seen);
        using var client = new RegistryClient(ghcr.Host);
        var pushed = await client.Repository("acme/handoff").ResolveAsync(tags[1], default);
        Assert.NotNull(pushed);
        using (var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(_root, "artifacts", "results", "PushGhcr.GhcrPush.json"))))
        {
            Assert.Equal("pull-request", result.RootElement.GetProperty("value").GetProperty("purpose").GetString());
            Assert.Equal(pushed.ToString(), result.RootElement.GetProperty("value").GetProperty("digest").GetString());
        }

        // A later job: BuildImage's result and archive come from artifacts/, the image is not built again.
        await ghcr.StopAsync();
        Directory.Delete(ghcr.StorageDirectory, recursive: true);
        await ghcr.StartAgainAsync();
        var second = await Quality.BuildRun.RunAsync(new HandOffBuild(), _root, new Dictionary<string, string> { ["DOCKER_HOST"] = "unix:///nonexistent/engine.sock" }, ["PushGhcr", "--skip", "BuildImage", .. common]);

        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains("BuildImage.BuiltImage: restored from artifacts/results/BuildImage.BuiltImage.json", second.Output);
        Assert.Equal(pushed, await client.Repository("acme/handoff").ResolveAsync(tags[3], default));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
