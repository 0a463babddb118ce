using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pipeline.Components.Containers;
using Pipeline.Components.Registry;
using Pipeline.Components.Release;
using Pipeline.Engine;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Services;

/// <summary>A many-service build that releases: BuildImage, PushGar, TagCalVer and Release.</summary>
public sealed class SeparateReleaseBuild : PipelineBuild, IBuildImage, IPushGar, IRelease;

/// <summary>
/// Services released separately (every service has SERVICE_&lt;NAME&gt;_TAG_PREFIX): each affected service gets its own
/// CalVer tag with its own per-day counter, its image is labelled and pushed with that tag, and Release writes one
/// release per service listing its digest with its own push record. Real git, a private Podman API socket, a real
/// docker-registry on loopback, skopeo as the independent checker; the local release profile (no GitHub token).
/// </summary>
public sealed partial class SeparateReleaseTests(PodmanService podman) : IClassFixture<PodmanService>, IDisposable
{
    private readonly ServiceRepository _repo = new(
        ServiceRepository.Config
            + "\nSERVICE_SAMPLE_TAG_PREFIX=sample-\nSERVICE_API_TAG_PREFIX=api-\nSERVICE_LANDING_TAG_PREFIX=landing-"
    );

    public void Dispose() => _repo.Dispose();

    [PodmanFact]
    public async Task Each_affected_service_gets_its_own_tags_and_release_and_a_later_change_retags_only_it()
    {
        var registry = await SharedRegistry.OpenAsync();

        var first = await RunAsync(registry);

        Assert.True(first.ExitCode == 0, first.Output);
        var tags = Tags();
        Assert.Equal(3, tags.Count);
        Assert.All(tags, t => Assert.Matches(CalVer(), t));
        var api = tags.Single(t => t.StartsWith("api-", StringComparison.Ordinal));
        Assert.EndsWith(".1", api);
        Assert.Equal([api], SkopeoTags(registry, "pipeline-api")); // the image carries the service's own tag
        // and its version label
        Assert.Contains($"\"version\": \"{api}\"", Read("artifacts/results/BuildImage.ServiceImages.json"));
        var release = Release(api);
        var image = Assert.Single(release.GetProperty("images").EnumerateArray());
        Assert.Equal("api", image.GetProperty("service").GetString());
        Assert.Equal(Digest(registry, "pipeline-api", api), image.GetProperty("digest").GetString());
        var assets = release
            .GetProperty("assets")
            .EnumerateArray()
            .Select(a => a.GetProperty("name").GetString())
            .ToList();
        Assert.Contains("pipeline-api.release.push.json", assets);
        // another service's record is in its own release
        Assert.DoesNotContain("pipeline-sample.release.push.json", assets);
        Assert.Contains(
            "### Images",
            File.ReadAllText(Path.Combine(_repo.Root, "artifacts", "releases", api, "notes.md"))
        );

        var before = _repo.Git("rev-parse", "HEAD").Trim();
        _repo.Change("deploy/services/api/hello");
        var second = await RunAsync(registry, "--base-ref", before);

        Assert.True(second.ExitCode == 0, second.Output);
        var added = Tags().Except(tags).ToList();
        var apiNext = Assert.Single(added);
        Assert.Equal(api[..^1] + "2", apiNext); // api's own counter; sample and landing untouched
        Assert.Equal([api, apiNext], SkopeoTags(registry, "pipeline-api"));
        Assert.Single(SkopeoTags(registry, "pipeline-sample"));
        Assert.True(Directory.Exists(Path.Combine(_repo.Root, "artifacts", "releases", apiNext)));
    }

    private Task<BuildRun> RunAsync(SharedRegistry registry, params string[] extra) =>
        BuildRun.RunAsync(
            new SeparateReleaseBuild(),
            _repo.Root,
            new Dictionary<string, string> { ["DOCKER_HOST"] = podman.Endpoint.ToString() },
            ["Release", .. registry.GarArguments(), .. extra]
        );

    private List<string> Tags() =>
        _repo
            .Git("tag", "--list")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Order(StringComparer.Ordinal)
            .ToList();

    private string Read(string relative) => File.ReadAllText(Path.Combine(_repo.Root, relative));

    private JsonElement Release(string tag) =>
        JsonDocument.Parse(Read($"artifacts/releases/{tag}/release.json")).RootElement;

    private static List<string> SkopeoTags(SharedRegistry registry, string image)
    {
        using var document = JsonDocument.Parse(
            Skopeo("list-tags", "--tls-verify=false", $"docker://{registry.GarReference(image)}")
        );
        return document
            .RootElement.GetProperty("Tags")
            .EnumerateArray()
            .Select(t => t.GetString()!)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static string Digest(SharedRegistry registry, string image, string tag)
    {
        using var document = JsonDocument.Parse(
            Skopeo("inspect", "--tls-verify=false", $"docker://{registry.GarReference(image)}:{tag}")
        );
        return document.RootElement.GetProperty("Digest").GetString()!;
    }

    internal static string Skopeo(params string[] args)
    {
        var start = new ProcessStartInfo("skopeo", args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        return output;
    }

    [GeneratedRegex(@"^(api|sample|landing)-v\d{2}\.\d{2}\.\d{2}\.1$")]
    private static partial Regex CalVer();
}
