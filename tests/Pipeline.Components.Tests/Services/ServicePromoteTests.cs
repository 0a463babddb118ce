using Pipeline.Components.Containers;
using Pipeline.Components.Registry;
using Pipeline.Components.Release;
using Pipeline.Engine;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Services;

/// <summary>A many-service build that promotes images between registries.</summary>
public sealed class ServicePromoteBuild : PipelineBuild, IBuildImage, IPromote;

/// <summary>The same, tagging releases too (a release promotion carries each service's own tag).</summary>
public sealed class TaggedPromoteBuild : PipelineBuild, IBuildImage, IPromote, ITagCalVer;

/// <summary>
/// Promote in a many-service repository: each chosen service's image, found in its own repository through the
/// destination name, copied by digest with a per-service typed result and per-service outputs. A real docker-registry
/// on loopback (the assembly's shared one, a namespace per test as the GAR project), images put there and checked with
/// skopeo (not our client); GitHub Actions' output file as the runner writes it (GitHub itself is simulated by its
/// environment variables).
/// </summary>
public sealed class ServicePromoteTests : IDisposable
{
    private readonly ServiceRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [RequiresToolsFact("docker-registry", "skopeo", "git")]
    public async Task Each_named_service_is_promoted_with_its_own_result_and_outputs()
    {
        var registry = await SharedRegistry.OpenAsync();
        await SeedAsync(registry, "pipeline-api", "pipeline-landing", "pipeline-sample");
        var outputs = Path.Combine(_repo.Root, ".nuke", "github-output");

        var run = await RunAsync(
            registry,
            Actions(outputs),
            "--services",
            "api,landing",
            "--promote-from",
            "gar:staging-abc1234",
            "--promote-to",
            "gar",
            "--promote-tags",
            "v26.12.01.1"
        );

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(["staging-abc1234", "v26.12.01.1"], Tags(registry, "pipeline-api"));
        Assert.Equal(["staging-abc1234", "v26.12.01.1"], Tags(registry, "pipeline-landing"));
        Assert.Equal(["staging-abc1234"], Tags(registry, "pipeline-sample")); // not chosen: left alone
        var written = File.ReadAllText(outputs);
        Assert.Contains("api-promoted-image-digest=sha256:", written);
        Assert.Contains(
            "landing-promoted-image-ref=" + registry.GarReference("pipeline-landing") + ":v26.12.01.1",
            written
        );
        // two services, neither IMAGE_NAME's: no plain name to guess
        Assert.DoesNotContain("\npromoted-image-digest=", "\n" + written);
        var results = File.ReadAllText(
            Path.Combine(_repo.Root, "artifacts", "results", "Promote.ServicePromotions.json")
        );
        Assert.Contains("\"service\": \"api\"", results);
        Assert.Contains("\"service\": \"landing\"", results);
        Assert.True(
            File.Exists(Path.Combine(_repo.Root, "artifacts", "results", "Promote.ServicePromotions.landing.part.json"))
        );
    }

    [RequiresToolsFact("docker-registry", "skopeo", "git")]
    public async Task A_full_reference_names_one_image_and_is_refused_before_anything_is_copied()
    {
        var registry = await SharedRegistry.OpenAsync();
        await SeedAsync(registry, "pipeline-api");

        var run = await RunAsync(
            registry,
            new Dictionary<string, string>(),
            "--all-services",
            "--promote-from",
            $"{registry.GarReference("pipeline-api")}:staging-abc1234",
            "--promote-to",
            "gar",
            "--promote-tags",
            "v26.12.01.1"
        );

        Assert.True(run.ExitCode == 2, run.Output);
        Assert.Contains(
            "is a full reference, which names one image; in a many-service repository name a destination",
            run.Output
        );
        Assert.Contains("--promote-from", run.Output);
        Assert.DoesNotContain("   at ", run.Output);
        Assert.Equal(["staging-abc1234"], Tags(registry, "pipeline-api"));
    }

    [RequiresToolsFact("docker-registry", "skopeo", "git")]
    public async Task A_release_promotion_carries_each_services_own_tag_when_services_are_released_separately()
    {
        using var repo = new ServiceRepository(
            ServiceRepository.Config
                + "\nSERVICE_SAMPLE_TAG_PREFIX=sample-\nSERVICE_API_T"
                + "AG_PREFIX=api-\nSERVICE_LANDING_TAG_PREFIX=landing-"
        );
        var registry = await SharedRegistry.OpenAsync();
        await SeedAsync(registry, "pipeline-api", "pipeline-sample");

        var run = await BuildRun.RunAsync(
            new TaggedPromoteBuild(),
            repo.Root,
            null,
            [
                "TagCalVer",
                "Promote",
                "--services",
                "api,sample",
                "--promote-from",
                "gar:staging-abc1234",
                "--promote-to",
                "gar",
                .. registry.GarArguments(purpose: null, timeoutSeconds: null),
            ]
        );

        Assert.True(run.ExitCode == 0, run.Output);
        var tags = repo.Git("tag", "--list")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(2, tags.Count); // landing was not named: no tag
        Assert.Equal([tags[0], "staging-abc1234"], Tags(registry, "pipeline-api")); // api-v…
        Assert.Equal([tags[1], "staging-abc1234"], Tags(registry, "pipeline-sample")); // sample-v…
    }

    private async Task SeedAsync(SharedRegistry registry, params string[] images)
    {
        var seed = 1;
        foreach (var image in images)
        {
            var archive = Path.Combine(_repo.Root, ".nuke", image + ".tar");
            await RegistryTestImage.WriteDockerArchiveAsync(archive, 1, 2_000, seed: seed++);
            SeparateReleaseTests.Skopeo(
                "copy",
                "--quiet",
                "--dest-tls-verify=false",
                $"docker-archive:{archive}",
                $"docker://{registry.GarReference(image)}:staging-abc1234"
            );
        }
    }

    private Dictionary<string, string> Actions(string outputs) =>
        new()
        {
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_OUTPUT"] = outputs,
            ["GITHUB_EVENT_NAME"] = "push",
            ["GITHUB_REF"] = "refs/heads/main",
            ["GITHUB_REF_NAME"] = "main",
            ["GITHUB_REPOSITORY"] = "octo-org/services",
            ["GITHUB_SHA"] = _repo.Base,
        };

    private Task<BuildRun> RunAsync(
        SharedRegistry registry,
        Dictionary<string, string> environment,
        params string[] extra
    ) =>
        BuildRun.RunAsync(
            new ServicePromoteBuild(),
            _repo.Root,
            environment,
            ["Promote", .. registry.GarArguments(purpose: null), .. extra]
        );

    private static List<string> Tags(SharedRegistry registry, string image)
    {
        using var document = System.Text.Json.JsonDocument.Parse(
            SeparateReleaseTests.Skopeo("list-tags", "--tls-verify=false", $"docker://{registry.GarReference(image)}")
        );
        return document
            .RootElement.GetProperty("Tags")
            .EnumerateArray()
            .Select(t => t.GetString()!)
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
