using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Containers.Build;
using Pipeline.Containers.ContainerEngines;
using Pipeline.Containers.Images;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Containers;

/// <summary>The Prune target through the real engine, on a private Podman store with images stamped two days
/// old.</summary>
public class PruneComponentTests(PodmanService podman) : IClassFixture<PodmanService>, IDisposable
{
    private readonly TempFolder _root = new("pipeline-prune-");

    [PodmanFact]
    public async Task Dry_run_lists_with_sizes_then_apply_removes_only_old_unprotected_images()
    {
        Directory.CreateDirectory(Path.Combine(_root.Path, ".nuke"));
        await using (var engine = await ContainerEngine.ConnectAsync(podman.Endpoint, "test"))
        {
            await BuildAsync(engine, "old", DateTimeOffset.UtcNow.AddDays(-2), "localhost/prune-old:1");
            await BuildAsync(engine, "kept", DateTimeOffset.UtcNow.AddDays(-2), "localhost/prune-base:latest");
            await BuildAsync(engine, "fresh", null, "localhost/prune-fresh:1");
        }

        var env = new Dictionary<string, string>
        {
            ["DOCKER_HOST"] = podman.Endpoint.ToString(),
            ["PRUNE_PROTECTED_TAGS"] = "*:latest",
        };

        var dry = await ContainerBuildRun.RunAsync(_root.Path, env, "Prune");

        Assert.True(dry.ExitCode == 0, dry.Output);
        Assert.Contains("Would remove 1 image(s) and 0 build-cache record(s) older than 24h", dry.Output);
        Assert.Matches(@"- localhost/prune-old:1  \d+(\.\d+)? kB  created ", dry.Output);
        Assert.Contains("Dry run: nothing removed; run with --prune-apply to remove", dry.Output);
        await using (var engine = await ContainerEngine.ConnectAsync(podman.Endpoint, "test"))
        {
            Assert.NotNull(await new ImageInspector(engine).TryInspectAsync("localhost/prune-old:1"));
        }

        var apply = await ContainerBuildRun.RunAsync(_root.Path, env, "Prune", "--prune-apply");

        Assert.True(apply.ExitCode == 0, apply.Output);
        Assert.Matches(@"Removed 1 image\(s\); freed \d", apply.Output);
        Assert.Contains(
            "### Prune\n\nRemoved 1 image(s)",
            File.ReadAllText(Path.Combine(_root.Path, "artifacts", "summary.md"))
        );
        await using (var engine = await ContainerEngine.ConnectAsync(podman.Endpoint, "test"))
        {
            var inspector = new ImageInspector(engine);
            Assert.Null(await inspector.TryInspectAsync("localhost/prune-old:1"));
            Assert.NotNull(await inspector.TryInspectAsync("localhost/prune-base:latest"));
            Assert.NotNull(await inspector.TryInspectAsync("localhost/prune-fresh:1"));
        }
    }

    [Fact]
    public async Task A_bad_age_names_the_parameter()
    {
        Directory.CreateDirectory(Path.Combine(_root.Path, ".nuke"));
        var env = new Dictionary<string, string> { ["DOCKER_HOST"] = "unix:///nonexistent/engine.sock" };

        var run = await ContainerBuildRun.RunAsync(_root.Path, env, "Prune", "--prune-older-than", "yesterday");

        Assert.Equal(2, run.ExitCode); // refused in preflight, before the engine is asked anything
        Assert.Contains(
            "Prune: --prune-older-than: 'yesterday' is not an age (use 24h, 90m, 7d or d.hh:mm:ss)",
            run.Output
        );
    }

    public void Dispose()
    {
        _root.Dispose();
    }

    private async Task BuildAsync(ContainerEngine engine, string name, DateTimeOffset? timestamp, string tag)
    {
        var context = Directory.CreateDirectory(Path.Combine(_root.Path, "images", name)).FullName;
        await File.WriteAllTextAsync(Path.Combine(context, "Containerfile"), "FROM scratch\nCOPY data /data\n");
        await File.WriteAllTextAsync(Path.Combine(context, "data"), name + new string('x', 20_000));
        await new ImageBuilder(engine, NullLogger.Instance).BuildAsync(
            new ImageBuildRequest
            {
                ContextDirectory = context,
                Tags = [tag],
                Timestamp = timestamp,
            }
        );
    }
}
