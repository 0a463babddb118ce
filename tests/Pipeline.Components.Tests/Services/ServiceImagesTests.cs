using System.Diagnostics;
using Pipeline.Components.Containers;
using Pipeline.Components.Registry;
using Pipeline.Engine;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Services;

/// <summary>A build with BuildImage and PushGar, as a many-service repository composes it.</summary>
public sealed class ServiceImagesBuild : PipelineBuild, IBuildImage, IPushGar;

/// <summary>
/// BuildImage and PushGar over the affected services of a real git repository holding a copy of this repository's own
/// services (sample, api, landing; api and landing share deploy/services/shared): built by a private Podman API socket,
/// pushed to a real docker-registry on loopback, and checked there with skopeo (not our client).
/// </summary>
public sealed class ServiceImagesTests(PodmanService podman) : IClassFixture<PodmanService>, IDisposable
{
    private readonly ServiceRepository _repo = new();

    [PodmanFact]
    public async Task A_change_to_one_service_builds_and_pushes_only_it_and_the_shared_folder_all_that_use_it()
    {
        await using var registry = await RegistryServer.StartAsync();
        var all = await RunAsync(registry, "--all-services", "--image-tags", "base");
        Assert.True(all.ExitCode == 0, all.Output);
        Assert.Equal(
            ["p/images/pipeline-api", "p/images/pipeline-landing", "p/images/pipeline-sample"],
            Repositories(registry)
        );

        var afterBase = _repo.Change("deploy/services/landing/site/about.html", "<p>one change</p>");
        var one = await RunAsync(
            registry,
            "--base-ref",
            _repo.Base,
            "--image-tags",
            "one",
            "--image-name",
            "pipeline-sample"
        );

        Assert.True(one.ExitCode == 0, one.Output);
        // gar-push (PushGar.GarPush) is IMAGE_NAME's push: sample did not change, so it is absent, and the summary says
        // why.
        Assert.False(File.Exists(Path.Combine(_repo.Root, "artifacts", "results", "PushGar.GarPush.json")), one.Output);
        Assert.Contains(
            "PushGar.GarPush is absent: IMAGE_NAME's service sample was not pushed "
                + "in this run (unchanged, its last pushed image stands; pushed: landing)",
            File.ReadAllText(Path.Combine(_repo.Root, "artifacts", "summary.md"))
        );
        Assert.Contains("BuildImage: landing", one.Output);
        Assert.Equal(["base", "one"], SkopeoTags(registry, "pipeline-landing"));
        Assert.Equal(["base"], SkopeoTags(registry, "pipeline-api"));
        Assert.Equal(["base"], SkopeoTags(registry, "pipeline-sample"));
        Assert.True(File.Exists(Path.Combine(_repo.Root, "artifacts", "images", "pipeline-landing.staging.push.json")));

        _repo.Change("deploy/services/shared/health");
        var shared = await RunAsync(registry, "--base-ref", afterBase, "--image-tags", "two");

        Assert.True(shared.ExitCode == 0, shared.Output);
        Assert.Contains("BuildImage: api, landing", shared.Output);
        Assert.Equal(["base", "two"], SkopeoTags(registry, "pipeline-api"));
        Assert.Equal(["base", "one", "two"], SkopeoTags(registry, "pipeline-landing"));
        Assert.Equal(["base"], SkopeoTags(registry, "pipeline-sample")); // it does not declare the shared folder
        var results = File.ReadAllText(
            Path.Combine(_repo.Root, "artifacts", "results", "PushGar.GarServicePushes.json")
        );
        Assert.Contains("\"service\": \"api\"", results);
        Assert.Contains("\"service\": \"landing\"", results);
        Assert.DoesNotContain("\"service\": \"sample\"", results);
        // The run report's images section: a row per pushed service with its references, digest, size, the blobs sent
        // and the ones the registry had from the earlier pushes (the layers the change left alone), the registry that
        // took it.
        var report = File.ReadAllText(Path.Combine(_repo.Root, "artifacts", "report", "index.html"));
        foreach (var service in new[] { "api", "landing" })
        {
            Assert.Matches(
                $@"<tr><td>{service}</td><td>\w+</td><td>[^<]*pipeline-{service}:two["
                    + $@"^<]*</td><td>sha256:[0-9a-f]{{64}}</td><td>[0-9.]+ (B|KiB|MiB)</td><td>[1-9]\d* "
                    + $@"pushed \([^)]+\), 0 mounted, [1-9]\d* already "
                    + $@"there</td><td>[^<]+</td><td>no</td><td>none attached \(unsigned\)</td></tr>",
                report
            );
        }
    }

    [PodmanFact]
    public async Task A_failing_service_build_fails_the_run_naming_it_while_the_other_services_still_build()
    {
        await using var registry = await RegistryServer.StartAsync();
        _repo.Commit(
            (
                "deploy/services/landing/Containerfile",
                "FROM scratch\nCOPY services/landing/missing.html /srv/www/index.html\n"
            )
        );

        var run = await RunAsync(registry, "--all-services", "--image-tags", "three");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("BuildImage: 1 of 3 service image(s) failed: landing:", run.Output);
        Assert.Matches(@"PushGar\s+not run\s+build stopped after BuildImage failed", run.Output);
        Assert.True(File.Exists(Path.Combine(_repo.Root, "artifacts", "images", "pipeline-sample.tar")));
        Assert.True(File.Exists(Path.Combine(_repo.Root, "artifacts", "images", "pipeline-api.tar")));
        Assert.Empty(Repositories(registry)); // without ProceedAfterFailure nothing is pushed after a failed build
    }

    [PodmanFact]
    public async Task With_proceed_after_failure_the_other_services_are_built_and_pushed_and_the_broken_one_nowhere()
    {
        await using var registry = await RegistryServer.StartAsync();
        _repo.Commit(
            (
                "deploy/services/landing/Containerfile",
                "FROM scratch\nCOPY services/landing/missing.html /srv/www/index.html\n"
            )
        );

        var run = await RunAsync(registry, "--all-services", "--image-tags", "four", "--proceed-after-failure");

        Assert.True(run.ExitCode == 1, run.Output);
        // One error line of the target names the broken service and why (above it, Podman's own line for the step); the
        // last line names it again with the target.
        var lines = run.Output.Split('\n').Select(l => l.TrimEnd()).ToList();
        var error = Assert.Single(lines, l => l.StartsWith("error: BuildImage:", StringComparison.Ordinal));
        // (This repository's services build two platforms each: the line names the platform whose build failed and
        // where the platforms are set.)
        Assert.StartsWith("error: BuildImage: 1 of 3 service image(s) failed: landing: ", error);
        Assert.Contains("platform linux/amd64 (deploy/config.env:", error);
        Assert.Contains(
            "SERVICE_LANDING_PLATFORMS): image build failed at step 2/3: COPY services/landing/missing.html",
            error
        );
        Assert.Equal("error: Build failed: BuildImage (landing)", lines.Last(l => l.Length > 0));
        Assert.Matches(@"BuildImage\s+failed \(1 of 3 services\)", run.Output);
        Assert.Matches(@"PushGar\s+succeeded", run.Output);
        Assert.DoesNotContain("Exception", run.Output);

        // skopeo, not our client: the built services are there under the run's tag, the broken one has no repository.
        Assert.Equal(["p/images/pipeline-api", "p/images/pipeline-sample"], Repositories(registry));
        Assert.Equal(["four"], SkopeoTags(registry, "pipeline-api"));
        Assert.Equal(["four"], SkopeoTags(registry, "pipeline-sample"));
        var (_, images) = await podman.RunPodmanAsync("images", "--format", "{{.Repository}}:{{.Tag}}");
        Assert.Contains("localhost/pipeline-api:four", images);
        Assert.DoesNotContain("pipeline-landing:four", images);
        Assert.False(
            File.Exists(Path.Combine(_repo.Root, "artifacts", "images", "pipeline-landing.staging.push.json"))
        );
        var pushes = File.ReadAllText(
            Path.Combine(_repo.Root, "artifacts", "results", "PushGar.GarServicePushes.json")
        );
        Assert.DoesNotContain("landing", pushes);
    }

    public void Dispose() => _repo.Dispose();

    private Task<BuildRun> RunAsync(RegistryServer registry, params string[] extra) =>
        BuildRun.RunAsync(
            new ServiceImagesBuild(),
            _repo.Root,
            new Dictionary<string, string> { ["DOCKER_HOST"] = podman.Endpoint.ToString() },
            [
                "BuildImage",
                "PushGar",
                "--gar-push-purpose",
                "staging",
                "--gar-host",
                registry.Host,
                "--gar-project",
                "p",
                "--gar-repository",
                "images",
                "--insecure-registries",
                registry.Host,
                "--registries-staging",
                "gar",
                "--registry-retries",
                "1",
                "--registry-timeout",
                "10",
                .. extra,
            ]
        );

    private static List<string> Repositories(RegistryServer registry)
    {
        var root = Path.Combine(registry.StorageDirectory, "docker", "registry", "v2", "repositories");
        return !Directory.Exists(root)
            ? []
            : Directory
                .GetDirectories(root, "_manifests", SearchOption.AllDirectories)
                .Select(d => Path.GetRelativePath(root, Path.GetDirectoryName(d)!).Replace('\\', '/'))
                .Order(StringComparer.Ordinal)
                .ToList();
    }

    private static List<string> SkopeoTags(RegistryServer registry, string image)
    {
        var start = new ProcessStartInfo(
            "skopeo",
            ["list-tags", "--tls-verify=false", $"docker://{registry.Host}/p/images/{image}"]
        )
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, process.StandardError.ReadToEnd());
        using var document = System.Text.Json.JsonDocument.Parse(output);
        return document
            .RootElement.GetProperty("Tags")
            .EnumerateArray()
            .Select(t => t.GetString()!)
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
