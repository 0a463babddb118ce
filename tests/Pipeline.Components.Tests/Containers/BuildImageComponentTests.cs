using System.Formats.Tar;
using System.Text.Json;
using Pipeline.Components.Containers;
using Pipeline.Components.Registry;
using Pipeline.Containers.Images;
using Pipeline.Engine;
using Pipeline.Engine.Targets;
using Pipeline.Registry.Remote;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Containers;

/// <summary>
/// The BuildImage target run through the real engine (parameters, plan, outputs) against a private Podman API socket,
/// building this repository's own sample service (deploy/sample-service, from the deploy/ context it shares with the
/// other services).
/// </summary>
public class BuildImageComponentTests(PodmanService podman) : IClassFixture<PodmanService>, IDisposable
{
    private const string Canary = "CANARY-ghp-0000000000000000000000000000";
    private readonly TempFolder _root = new("pipeline-buildimage-");

    [PodmanFact]
    public async Task A_pull_request_build_of_the_sample_prod_stage_writes_result_archive_and_outputs()
    {
        ContainerBuildRun.CopySample(_root.Path);
        var sha = ContainerBuildRun.InitRepository(_root.Path);
        var outputFile = Path.Combine(_root.Path, "github_output");
        var env = new Dictionary<string, string>
        {
            ["DOCKER_HOST"] = podman.Endpoint.ToString(),
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_EVENT_NAME"] = "pull_request",
            ["GITHUB_REF"] = "refs/pull/12/merge",
            ["GITHUB_REF_NAME"] = "12/merge",
            ["GITHUB_SHA"] = sha,
            ["GITHUB_REPOSITORY"] = "acme/app",
            ["GITHUB_SERVER_URL"] = "https://github.com",
            ["GITHUB_OUTPUT"] = outputFile,
        };

        var run = await ContainerBuildRun.RunAsync(
            _root.Path,
            env,
            [
                "BuildImage",
                "--image-name",
                "pipeline-sample",
                .. ContainerBuildRun.SampleImageArguments,
                "--image-target",
                "prod",
            ]
        );

        Assert.True(run.ExitCode == 0, run.Output);
        var result = await ImageResult.ReadAsync(
            Path.Combine(_root.Path, "artifacts", "images", "pipeline-sample.json")
        );
        Assert.Equal(["pr-12", $"pr-12-{sha[..7]}"], result.Tags);
        Assert.Equal(
            ["localhost/pipeline-sample:pr-12", $"localhost/pipeline-sample:pr-12-{sha[..7]}"],
            result.References
        );
        Assert.Equal("prod", result.Target);
        Assert.Equal("prod", result.Labels["org.pipeline.stage"]);
        Assert.Equal("https://github.com/acme/app", result.Labels["org.opencontainers.image.source"]);
        Assert.Equal(sha, result.Labels["org.opencontainers.image.revision"]);
        Assert.Equal("pipeline-sample", result.Labels["org.opencontainers.image.title"]);
        Assert.Equal("pr-12", result.Labels["org.opencontainers.image.version"]);
        Assert.Matches("^sha256:[0-9a-f]{64}$", result.Id);
        Assert.True(result.Layers >= 1 && result.Size > 0);

        var archive = Path.Combine(_root.Path, "artifacts", "images", "pipeline-sample.tar");
        Assert.Equal("pipeline-sample.tar", result.Archive);
        var files = DockerArchiveFiles.ListArchive(archive);
        Assert.Contains("srv/app/public/index.html", files);
        Assert.DoesNotContain(files, f => f.StartsWith("srv/tests", StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => f.EndsWith("README.md", StringComparison.Ordinal));

        var outputs = File.ReadAllText(outputFile);
        Assert.Contains($"image-id={result.Id}", outputs);
        Assert.Contains($"image-tags=pr-12,pr-12-{sha[..7]}", outputs);
        Assert.Contains("image-ref=localhost/pipeline-sample:pr-12", outputs);
        Assert.Contains("image-archive=artifacts/images/pipeline-sample.tar", outputs);
        Assert.Contains("image-layers=", outputs);

        // The typed result dependents read, as a later job loads it: root-relative archive path, the same tags.
        using var built = JsonDocument.Parse(
            File.ReadAllText(Path.Combine(_root.Path, "artifacts", "results", "BuildImage.BuiltImage.json"))
        );
        var value = built.RootElement.GetProperty("value");
        Assert.Equal("artifacts/images/pipeline-sample.tar", value.GetProperty("archive").GetString());
        Assert.Equal(result.Tags, value.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!));
        Assert.Equal("localhost/pipeline-sample:pr-12", value.GetProperty("reference").GetString());
        Assert.Equal("pr-12", value.GetProperty("version").GetString());
    }

    [PodmanFact]
    public async Task A_local_main_build_of_the_dev_stage_is_tagged_latest_and_keeps_credentials_out_of_it()
    {
        ContainerBuildRun.CopySample(_root.Path);
        var sha = ContainerBuildRun.InitRepository(
            _root.Path,
            origin: $"https://x-access-token:{Canary}@github.com/acme/app.git"
        );
        var env = new Dictionary<string, string> { ["DOCKER_HOST"] = podman.Endpoint.ToString() };

        var run = await ContainerBuildRun.RunAsync(
            _root.Path,
            env,
            [
                "BuildImage",
                "--image-name",
                "team/sample",
                .. ContainerBuildRun.SampleImageArguments,
                "--image-target",
                "dev",
                "--image-build-args",
                "A=1,B=two",
                "--source-date-epoch",
                "1795000000",
            ]
        );

        Assert.True(run.ExitCode == 0, run.Output);
        var json = File.ReadAllText(Path.Combine(_root.Path, "artifacts", "images", "team-sample.json"));
        var result = await ImageResult.ReadAsync(Path.Combine(_root.Path, "artifacts", "images", "team-sample.json"));
        Assert.Equal(["main", $"main-{sha[..7]}", "latest", $"staging-{sha[..7]}"], result.Tags);
        Assert.Equal("https://github.com/acme/app", result.Labels["org.opencontainers.image.source"]);
        Assert.Equal("2026-11-18T11:06:40Z", result.Labels["org.opencontainers.image.created"]);
        Assert.Contains(
            "srv/tests/smoke.sh",
            DockerArchiveFiles.ListArchive(Path.Combine(_root.Path, "artifacts", "images", "team-sample.tar"))
        );
        Assert.DoesNotContain(Canary, json);
        Assert.DoesNotContain(Canary, run.Output);
        Assert.DoesNotContain(Canary, File.ReadAllText(Path.Combine(_root.Path, "artifacts", "summary.md")));
    }

    [PodmanFact]
    public async Task A_broken_containerfile_fails_the_target_naming_step_and_line_as_an_annotation()
    {
        File.WriteAllText(
            Path.Combine(Directory.CreateDirectory(Path.Combine(_root.Path, "svc")).FullName, "Containerfile"),
            "FROM scratch\nCOPY a.txt /a\nCOPY nope.txt /nope\n"
        );
        File.WriteAllText(Path.Combine(_root.Path, "svc", "a.txt"), "a");
        var sha = ContainerBuildRun.InitRepository(_root.Path);
        var env = new Dictionary<string, string>
        {
            ["DOCKER_HOST"] = podman.Endpoint.ToString(),
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_EVENT_NAME"] = "push",
            ["GITHUB_REF"] = "refs/heads/feature/x",
            ["GITHUB_REF_NAME"] = "feature/x",
            ["GITHUB_SHA"] = sha,
        };

        var run = await ContainerBuildRun.RunAsync(
            _root.Path,
            env,
            "BuildImage",
            "--image-name",
            "broken",
            "--image-context",
            "svc"
        );

        Assert.True(run.ExitCode == 1, run.Output);
        Assert.Matches(
            @"BuildImage: image build failed at step 3/\d+: COPY nope.txt /nope \(Containerfile:3\)",
            run.Output
        );
        Assert.DoesNotContain("BuildImage: BuildImage:", run.Output);
        Assert.Matches(@"::error file=svc/Containerfile,line=3[^:]*::BuildImage: image build failed", run.Output);
        Assert.False(File.Exists(Path.Combine(_root.Path, "artifacts", "images", "broken.json")));
    }

    [PodmanFact]
    public async Task A_containerfile_parse_error_names_its_line_once_and_a_dangling_symlink_is_named()
    {
        var service = Directory.CreateDirectory(Path.Combine(_root.Path, "svc")).FullName;
        File.WriteAllText(Path.Combine(service, "Containerfile"), "FROM scratch\nCOPY a.txt /a\nFORM x\n");
        File.WriteAllText(Path.Combine(service, "a.txt"), "a");
        ContainerBuildRun.InitRepository(_root.Path);
        var env = new Dictionary<string, string> { ["DOCKER_HOST"] = podman.Endpoint.ToString() };

        var parse = await ContainerBuildRun.RunAsync(
            _root.Path,
            env,
            "BuildImage",
            "--image-name",
            "broken",
            "--image-context",
            "svc"
        );

        Assert.True(parse.ExitCode == 1, parse.Output);
        Assert.Contains(
            "svc/Containerfile:3: BuildImage: unknown instruction 'FORM' (did you mean FROM?)",
            parse.Output
        );
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(parse.Output, "Containerfile:3"));
        Assert.DoesNotContain("imagebuilder.Step", parse.Output);

        File.WriteAllText(Path.Combine(service, "Containerfile"), "FROM scratch\nCOPY . /app\n");
        File.CreateSymbolicLink(Path.Combine(service, "config.yml"), "/etc/pipeline-missing/config.yml");

        var dangling = await ContainerBuildRun.RunAsync(
            _root.Path,
            env,
            "BuildImage",
            "--image-name",
            "broken",
            "--image-context",
            "svc"
        );

        Assert.True(dangling.ExitCode == 1, dangling.Output);
        Assert.Contains(
            "BuildImage: image context: config.yml is a symlink to "
                + "'/etc/pipeline-missing/config.yml', which is not in the build context (dangling)",
            dangling.Output
        );
        Assert.DoesNotContain("copier.request", dangling.Output);
        Assert.False(File.Exists(Path.Combine(_root.Path, "artifacts", "images", "broken.json")));
    }

    /// <summary>A user's build: a target reading BuildImage's typed result, as README's "Adding a target"
    /// shows.</summary>
    private sealed class HandOffBuild : PipelineBuild, IBuildImage, IPushGhcr
    {
        public List<string> Seen { get; } = [];

        Target Inspect =>
            _ =>
                _.DependsOn<IBuildImage>(x => x.BuildImage)
                    .Executes(() => Seen.Add(string.Join(",", ((IBuildImage)this).BuiltImage!.Tags)));
    }

    [PodmanFact]
    public async Task PushGhcr_pushes_exactly_the_tags_BuildImage_produced_in_this_run_and_in_a_later_one()
    {
        File.WriteAllText(
            Path.Combine(Directory.CreateDirectory(Path.Combine(_root.Path, "svc")).FullName, "Containerfile"),
            "FROM scratch\nCOPY a.txt /a\n"
        );
        File.WriteAllText(Path.Combine(_root.Path, "svc", "a.txt"), "a");
        var sha = ContainerBuildRun.InitRepository(_root.Path);
        await using var ghcr = await RegistryServer.StartAsync();
        var env = new Dictionary<string, string> { ["DOCKER_HOST"] = podman.Endpoint.ToString() };
        string[] common =
        [
            "--image-name",
            "handoff",
            "--image-context",
            "svc",
            "--ghcr-host",
            ghcr.Host,
            "--ghcr-owner",
            "acme",
            "--registries-pr",
            "ghcr",
            "--registry-retries",
            "0",
        ];

        var build = new HandOffBuild();
        var first = await BuildRun.RunAsync(build, _root.Path, env, ["Inspect", "PushGhcr", .. common]);

        Assert.True(first.ExitCode == 0, first.Output);
        string[] tags = ["main", $"main-{sha[..7]}", "latest", $"staging-{sha[..7]}"];
        Assert.Equal([string.Join(",", tags)], build.Seen);
        using var client = new RegistryClient(ghcr.Host);
        var pushed = await client.Repository("acme/handoff").ResolveAsync(tags[1], default);
        Assert.NotNull(pushed);
        using (
            var result = JsonDocument.Parse(
                File.ReadAllText(Path.Combine(_root.Path, "artifacts", "results", "PushGhcr.GhcrPush.json"))
            )
        )
        {
            Assert.Equal("pull-request", result.RootElement.GetProperty("value").GetProperty("purpose").GetString());
            Assert.Equal(pushed.ToString(), result.RootElement.GetProperty("value").GetProperty("digest").GetString());
        }

        // A later job: BuildImage's result and archive come from artifacts/, the image is not built again.
        await ghcr.StopAsync();
        Directory.Delete(ghcr.StorageDirectory, recursive: true);
        await ghcr.StartAgainAsync();
        var second = await BuildRun.RunAsync(
            new HandOffBuild(),
            _root.Path,
            new Dictionary<string, string> { ["DOCKER_HOST"] = "unix:///nonexistent/engine.sock" },
            ["PushGhcr", "--skip", "BuildImage", .. common]
        );

        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains(
            "BuildImage.BuiltImage: restored from artifacts/results/BuildImage.BuiltImage.json",
            second.Output
        );
        Assert.Equal(pushed, await client.Repository("acme/handoff").ResolveAsync(tags[3], default));
    }

    [Theory]
    [InlineData(
        "--image-name",
        "My_App",
        "--image-name / IMAGE_NAME: 'My_App' is not a valid "
            + "repository path component (uppercase letters are not allowed)"
    )]
    [InlineData("--image-tags", "ok,b@d", "--image-tags / IMAGE_TAGS: 'b@d' is not a valid image tag")]
    [InlineData("--image-build-args", "NOEQUALS", "--image-build-args / IMAGE_BUILD_ARGS: 'NOEQUALS' is not KEY=VALUE")]
    public async Task Bad_parameters_fail_before_any_engine_is_contacted(string option, string value, string message)
    {
        ContainerBuildRun.InitRepository(_root.Path);
        var env = new Dictionary<string, string> { ["DOCKER_HOST"] = "unix:///nonexistent/engine.sock" };

        var run = await ContainerBuildRun.RunAsync(_root.Path, env, "BuildImage", option, value);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(message, run.Output);
        Assert.DoesNotContain("nonexistent/engine.sock", run.Output);
    }

    public void Dispose()
    {
        _root.Dispose();
    }
}
