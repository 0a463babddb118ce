using System.Text.Json;
using Pipeline.Components.Tests.Quality;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Services;

/// <summary>
/// A workflow matrix as GitHub runs it, one leg per service: each leg a fresh clone running BuildImage and PushGar for its
/// one service (a private Podman API socket, a real docker-registry on loopback), its artifacts/results/ then merged into
/// the release job's clone the way actions/download-artifact's merge-multiple does (same names overwrite). The release job
/// restores PushGar's results with --skip and must see every leg's push, not the last leg's.
/// </summary>
public sealed class MatrixLegResultsTests(PodmanService podman) : IClassFixture<PodmanService>, IDisposable
{
    private readonly ServiceRepository _repo = new();
    private readonly List<string> _clones = [];

    public void Dispose()
    {
        _repo.Dispose();
        foreach (var clone in _clones) Directory.Delete(clone, recursive: true);
    }

    [PodmanFact]
    public async Task A_release_after_one_leg_per_service_lists_every_legs_digest()
    {
        await using var registry = await RegistryServer.StartAsync();
        var release = Clone();
        foreach (var service in new[] { "api", "landing" })
        {
            var leg = Clone();
            var run = await BuildRun.RunAsync(new SeparateReleaseBuild(), leg, new Dictionary<string, string> { ["DOCKER_HOST"] = podman.Endpoint.ToString() },
            [
                "BuildImage", "PushGar", "--services", service, "--gar-push-purpose", "release", "--image-tags", "v26.12.01.1",
                "--gar-host", registry.Host, "--gar-project", "p", "--gar-repository", "images", "--insecure-registries", registry.Host,
                "--registries-release", "gar", "--registry-retries", "1", "--registry-timeout", "10",
            ]);
            Assert.True(run.ExitCode == 0, run.Output);
            var results = Directory.CreateDirectory(Path.Combine(release, "artifacts", "results")).FullName;
            foreach (var file in Directory.GetFiles(Path.Combine(leg, "artifacts", "results"))) File.Copy(file, Path.Combine(results, Path.GetFileName(file)), overwrite: true);
        }

        var job = await BuildRun.RunAsync(new SeparateReleaseBuild(), release, null, "TagCalVer", "Release", "--skip", "BuildImage", "PushGar", "AffectedServices");

        Assert.True(job.ExitCode == 0, job.Output);
        Assert.Contains("PushGar.GarServicePushes: restored from artifacts/results/PushGar.GarServicePushes.json and 2 part file(s)", job.Output);
        var tag = Directory.GetDirectories(Path.Combine(release, "artifacts", "releases")).Select(Path.GetFileName).Single()!;
        using var record = JsonDocument.Parse(File.ReadAllText(Path.Combine(release, "artifacts", "releases", tag, "release.json")));
        var images = record.RootElement.GetProperty("images").EnumerateArray().ToDictionary(i => i.GetProperty("service").GetString()!, i => i.GetProperty("digest").GetString()!);
        Assert.Equal(["api", "landing"], images.Keys.Order(StringComparer.Ordinal));
        foreach (var (service, digest) in images)
        {
            using var inspected = JsonDocument.Parse(SeparateReleaseTests.Skopeo("inspect", "--tls-verify=false", $"docker://{registry.Host}/p/images/pipeline-{service}:v26.12.01.1"));
            Assert.Equal(inspected.RootElement.GetProperty("Digest").GetString(), digest);
        }
    }

    /// <summary>A fresh checkout of the same commit, as each job of a workflow gets.</summary>
    private string Clone()
    {
        var path = Directory.CreateTempSubdirectory("pipeline-matrix-").FullName;
        Directory.Delete(path);
        GitProcess.Run(Path.GetTempPath(), "clone", "--quiet", _repo.Root, path);
        _clones.Add(path);
        return path;
    }
}
