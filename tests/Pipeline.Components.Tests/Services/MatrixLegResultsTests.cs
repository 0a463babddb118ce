using System.Text.Json;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Services;

/// <summary>
/// A workflow matrix as GitHub runs it, one leg per service: each leg a fresh clone running BuildImage and PushGar for
/// its one service (a private Podman API socket, a real docker-registry on loopback), its artifacts/results/ then
/// merged into the release job's clone the way actions/download-artifact's merge-multiple does (same names overwrite).
/// The release job restores PushGar's results with --skip and must see every leg's push, not the last leg's.
/// </summary>
public sealed class MatrixLegResultsTests(PodmanService podman) : IClassFixture<PodmanService>, IDisposable
{
    private readonly ServiceRepository _repo = new();
    private readonly List<TempFolder> _clones = [];

    public void Dispose()
    {
        _repo.Dispose();
        foreach (var clone in _clones)
            clone.Dispose();
    }

    [PodmanFact]
    public async Task A_release_after_one_leg_per_service_lists_every_legs_digest()
    {
        var registry = await SharedRegistry.OpenAsync();
        var release = Clone();
        foreach (var service in new[] { "api", "landing" })
        {
            var leg = Clone();
            var run = await BuildRun.RunAsync(
                new SeparateReleaseBuild(),
                leg,
                new Dictionary<string, string> { ["DOCKER_HOST"] = podman.Endpoint.ToString() },
                [
                    "BuildImage",
                    "PushGar",
                    "--services",
                    service,
                    "--gar-push-purpose",
                    "release",
                    "--image-tags",
                    "v26.12.01.1",
                    .. registry.GarArguments(),
                ]
            );
            Assert.True(run.ExitCode == 0, run.Output);
            var results = Directory.CreateDirectory(Path.Combine(release, "artifacts", "results")).FullName;
            foreach (var file in Directory.GetFiles(Path.Combine(leg, "artifacts", "results")))
                File.Copy(file, Path.Combine(results, Path.GetFileName(file)), overwrite: true);
        }

        var job = await BuildRun.RunAsync(
            new SeparateReleaseBuild(),
            release,
            null,
            "TagCalVer",
            "Release",
            "--skip",
            "BuildImage",
            "PushGar",
            "AffectedServices"
        );

        Assert.True(job.ExitCode == 0, job.Output);
        Assert.Contains(
            "PushGar.GarServicePushes: restored from "
                + "artifacts/results/PushGar.GarServicePushes.json and 2 part file(s)",
            job.Output
        );
        var tag = Directory
            .GetDirectories(Path.Combine(release, "artifacts", "releases"))
            .Select(Path.GetFileName)
            .Single()!;
        using var record = JsonDocument.Parse(
            File.ReadAllText(Path.Combine(release, "artifacts", "releases", tag, "release.json"))
        );
        var images = record
            .RootElement.GetProperty("images")
            .EnumerateArray()
            .ToDictionary(i => i.GetProperty("service").GetString()!, i => i.GetProperty("digest").GetString()!);
        Assert.Equal(["api", "landing"], images.Keys.Order(StringComparer.Ordinal));
        foreach (var (service, digest) in images)
        {
            using var inspected = JsonDocument.Parse(
                SeparateReleaseTests.Skopeo(
                    "inspect",
                    "--tls-verify=false",
                    $"docker://{registry.GarReference($"pipeline-{service}")}:v26.12.01.1"
                )
            );
            Assert.Equal(inspected.RootElement.GetProperty("Digest").GetString(), digest);
        }
    }

    /// <summary>
    /// The shape a generated matrix workflow has: a plan job runs AffectedServices for all three of this repository's
    /// services; each leg restores that plan (<c>--skip AffectedServices</c>) with its own <c>--services</c> and must
    /// build and push that one service only; the release job joins every leg's digest by service.
    /// </summary>
    [PodmanFact]
    public async Task Legs_restoring_the_plan_build_and_push_only_their_service_and_the_release_joins_them()
    {
        var registry = await SharedRegistry.OpenAsync();
        string[] registryArguments =
        [
            "--gar-push-purpose",
            "release",
            "--image-tags",
            "v26.12.01.1",
            .. registry.GarArguments(),
        ];
        var plan = Clone();
        var planned = await BuildRun.RunAsync(
            new SeparateReleaseBuild(),
            plan,
            null,
            "AffectedServices",
            "--all-services"
        );
        Assert.True(planned.ExitCode == 0, planned.Output);
        var planFile = Path.Combine(plan, "artifacts", "results", "AffectedServices.ServicePlan.json");
        Assert.True(File.Exists(planFile), planned.Output);

        var release = Clone();
        var results = Directory.CreateDirectory(Path.Combine(release, "artifacts", "results")).FullName;
        File.Copy(planFile, Path.Combine(results, Path.GetFileName(planFile)));
        foreach (var service in ServiceRepository.Names)
        {
            var leg = Clone();
            Directory.CreateDirectory(Path.Combine(leg, "artifacts", "results"));
            File.Copy(planFile, Path.Combine(leg, "artifacts", "results", Path.GetFileName(planFile)));
            var run = await BuildRun.RunAsync(
                new SeparateReleaseBuild(),
                leg,
                new Dictionary<string, string> { ["DOCKER_HOST"] = podman.Endpoint.ToString(), ["SERVICES"] = service },
                ["BuildImage", "PushGar", "--skip", "AffectedServices", .. registryArguments]
            );
            Assert.True(run.ExitCode == 0, run.Output);

            // This leg's own service only: one part file, and no other service's image in the registry from this leg.
            var parts = Directory.GetFiles(
                Path.Combine(leg, "artifacts", "results"),
                "PushGar.GarServicePushes.*.part.json"
            );
            Assert.Equal([$"PushGar.GarServicePushes.{service}.part.json"], parts.Select(Path.GetFileName));
            foreach (var other in ServiceRepository.Names.SkipWhile(n => n != service).Skip(1))
            {
                Assert.DoesNotContain($"pipeline-{other}", run.Output, StringComparison.Ordinal);
            }

            foreach (var file in Directory.GetFiles(Path.Combine(leg, "artifacts", "results")))
                File.Copy(file, Path.Combine(results, Path.GetFileName(file)), overwrite: true);
        }

        var job = await BuildRun.RunAsync(
            new SeparateReleaseBuild(),
            release,
            null,
            "TagCalVer",
            "Release",
            "--skip",
            "BuildImage",
            "PushGar",
            "AffectedServices"
        );

        Assert.True(job.ExitCode == 0, job.Output);
        Assert.Contains(
            "PushGar.GarServicePushes: restored from "
                + "artifacts/results/PushGar.GarServicePushes.json and 3 part file(s)",
            job.Output
        );
        var tag = Directory
            .GetDirectories(Path.Combine(release, "artifacts", "releases"))
            .Select(Path.GetFileName)
            .Single()!;
        using var record = JsonDocument.Parse(
            File.ReadAllText(Path.Combine(release, "artifacts", "releases", tag, "release.json"))
        );
        var images = record
            .RootElement.GetProperty("images")
            .EnumerateArray()
            .ToDictionary(i => i.GetProperty("service").GetString()!, i => i.GetProperty("digest").GetString()!);
        Assert.Equal(ServiceRepository.Names.Order(StringComparer.Ordinal), images.Keys.Order(StringComparer.Ordinal));
        foreach (var (service, digest) in images)
        {
            using var inspected = JsonDocument.Parse(
                SeparateReleaseTests.Skopeo(
                    "inspect",
                    "--tls-verify=false",
                    $"docker://{registry.GarReference($"pipeline-{service}")}:v26.12.01.1"
                )
            );
            Assert.Equal(inspected.RootElement.GetProperty("Digest").GetString(), digest);
        }
    }

    /// <summary>A fresh checkout of the same commit, as each job of a workflow gets.</summary>
    private string Clone()
    {
        var clone = new TempFolder("pipeline-matrix-");
        _clones.Add(clone);
        Directory.Delete(clone.Path); // git clone makes it
        GitProcess.Run(_repo.Root, "clone", "--quiet", _repo.Root, clone.Path);
        return clone.Path;
    }
}
