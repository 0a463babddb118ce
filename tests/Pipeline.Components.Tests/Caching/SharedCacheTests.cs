using System.Diagnostics;
using Pipeline.Components.Caching;
using Pipeline.Engine;
using Pipeline.Engine.Output;
using Pipeline.Engine.Targets;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Caching;

/// <summary>
/// The registry store against a real <c>docker-registry</c> on loopback: two clones of one repository share entries
/// through it, skopeo reads the artifact independently, a pull-request run cannot write, an outage is a miss.
/// </summary>
public sealed class SharedCacheTests : IDisposable
{
    private readonly TempFolder _workspace = new("pipeline-shared-cache-");

    public void Dispose() => _workspace.Dispose();

    /// <summary>A build whose one target is cacheable; Runs says whether it really ran.</summary>
    public sealed class SharedBuild : PipelineBuild, ISharedCache
    {
        public int Runs { get; private set; }
        Target Default => _ => _.DependsOn(Package);
        Target Package =>
            _ =>
                _.Inputs(i => i.Files("src/**"))
                    .Produces("artifacts/package/*.txt")
                    .Executes(() =>
                    {
                        Runs++;
                        Directory.CreateDirectory(Path.Combine(RootDirectory, "artifacts", "package"));
                        File.WriteAllText(
                            Path.Combine(RootDirectory, "artifacts", "package", "app.txt"),
                            "packaged " + File.ReadAllText(Path.Combine(RootDirectory, "src", "app.cs"))
                        );
                        Log.Result("Package: 1 file");
                    });
    }

    private string Clone(string name)
    {
        var root = Path.Combine(_workspace.Path, name);
        Directory.CreateDirectory(Path.Combine(root, ".nuke"));
        Directory.CreateDirectory(Path.Combine(root, "src"));
        File.WriteAllText(Path.Combine(root, "src", "app.cs"), "class App {}");
        return root;
    }

    private Dictionary<string, string> Environment(
        string name,
        string eventName = "push",
        string gitRef = "refs/heads/main"
    ) =>
        new()
        {
            ["PIPELINE_CACHE_DIR"] = Path.Combine(_workspace.Path, "cache-" + name),
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_EVENT_NAME"] = eventName,
            ["GITHUB_REF"] = gitRef,
        };

    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task A_second_clone_gets_hits_from_what_the_first_pushed_and_skopeo_reads_the_artifact()
    {
        await using var registry = await RegistryServer.StartAsync();
        var cacheRegistry = $"{registry.Host}/team/cache";

        var first = new SharedBuild();
        var pushed = await BuildRun.RunAsync(
            first,
            Clone("a"),
            Environment("a"),
            "Package",
            "--cache-registry",
            cacheRegistry
        );
        Assert.True(pushed.ExitCode == 0, pushed.Output);
        Assert.Equal(1, first.Runs);

        var second = new SharedBuild();
        var pulled = await BuildRun.RunAsync(
            second,
            Clone("b"),
            Environment("b"),
            "Package",
            "--cache-registry",
            cacheRegistry
        );
        Assert.True(pulled.ExitCode == 0, pulled.Output);
        Assert.Equal(0, second.Runs);
        Assert.Matches(
            $@"Package: cached \(key (?<key>[0-9a-f]{{12}}), from "
                + $@"registry {registry.Host}/team/cache, saved \d+\.\d s\)",
            pulled.Output
        );
        Assert.Contains("Package: 1 file", pulled.Output);
        Assert.Equal(
            "packaged class App {}",
            File.ReadAllText(Path.Combine(_workspace.Path, "b", "artifacts", "package", "app.txt"))
        );

        // skopeo, not our client, reads the artifact: our artifactType, the entry as config, the file as a titled
        // layer.
        var key = Directory
            .GetFiles(Path.Combine(_workspace.Path, "cache-a", "entries"))
            .Select(Path.GetFileNameWithoutExtension)
            .Single()!;
        var raw = Skopeo(
            "inspect",
            "--raw",
            "--tls-verify=false",
            $"docker://{cacheRegistry}:{RegistryCacheStore.Tag(key)}"
        );
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(raw)!;
        Assert.Equal(RegistryCacheStore.ArtifactType, (string?)manifest["artifactType"]);
        Assert.Equal(RegistryCacheStore.ConfigMediaType, (string?)manifest["config"]!["mediaType"]);
        Assert.Equal(
            "artifacts/package/app.txt",
            (string?)manifest["layers"]![0]!["annotations"]!["org.opencontainers.image.title"]
        );
    }

    [RequiresToolsFact("docker-registry")]
    public async Task A_pull_request_run_reads_the_shared_cache_but_cannot_write_to_it()
    {
        await using var registry = await RegistryServer.StartAsync();
        var cacheRegistry = $"{registry.Host}/team/cache";

        var pr = new SharedBuild();
        var run = await BuildRun.RunAsync(
            pr,
            Clone("pr"),
            Environment("pr", "pull_request", "refs/pull/3/merge"),
            "Package",
            "--cache-registry",
            cacheRegistry
        );
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(1, pr.Runs);
        Assert.False(
            Directory.Exists(
                Path.Combine(registry.StorageDirectory, "docker", "registry", "v2", "repositories", "team", "cache")
            ),
            "a pull-request run wrote to the shared cache"
        );

        var main = new SharedBuild();
        Assert.Equal(
            0,
            (
                await BuildRun.RunAsync(
                    main,
                    Clone("main"),
                    Environment("main"),
                    "Package",
                    "--cache-registry",
                    cacheRegistry
                )
            ).ExitCode
        );
        var reader = new SharedBuild();
        var read = await BuildRun.RunAsync(
            reader,
            Clone("pr2"),
            Environment("pr2", "pull_request", "refs/pull/3/merge"),
            "Package",
            "--cache-registry",
            cacheRegistry
        );
        Assert.Equal(0, reader.Runs);
        Assert.Contains($"from registry {cacheRegistry}", read.Output);
    }

    [RequiresToolsFact("docker-registry")]
    public async Task A_registry_outage_is_a_miss_with_one_warning_never_a_failure()
    {
        await using var registry = await RegistryServer.StartAsync();
        await registry.StopAsync();

        var build = new SharedBuild();
        var clock = Stopwatch.StartNew();
        var run = await BuildRun.RunAsync(
            build,
            Clone("down"),
            Environment("down"),
            "Package",
            "--cache-registry",
            $"{registry.Host}/team/cache"
        );
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(1, build.Runs);
        Assert.Single(
            run.Output.Split('\n'),
            l => l.Contains($"cache: registry {registry.Host}/team/cache is not usable", StringComparison.Ordinal)
        );
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"an outage cost {clock.Elapsed}");
    }

    private static string Skopeo(params string[] args)
    {
        var info = new ProcessStartInfo("skopeo") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"skopeo {string.Join(' ', args)}: {error}");
        return output;
    }
}
