using System.Text.Json;
using Pipeline.Components.Registry;
using Pipeline.Components.Release;
using Pipeline.Components.Services;
using Pipeline.Engine;
using Pipeline.Engine.Hosts;
using Pipeline.Engine.Results;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Release;

/// <summary>
/// A release of a many-service repository lists every service it ships with its image reference and digest, taken from
/// PushGar's typed per-service results, and attaches each service's push record: in the local record (notes.md,
/// release.json) and on GitHub (the local stand-in following GitHub's documented REST shapes; GitHub is never reached).
/// A real clone with a bare origin.
/// </summary>
public sealed class ReleaseServiceImagesTests : IDisposable
{
    private const string Canary = "ghs_CANARYserviceIMAGES_777777";
    private readonly GitSandbox _sandbox = new();
    private readonly GitClone _work;

    private sealed class ServicesReleaseBuild : IRelease, IPushGar;

    public ReleaseServiceImagesTests()
    {
        _work = _sandbox.Clone("work");
        _work.Git("config", "user.name", "Test Committer");
        _work.Git("config", "user.email", "committer@example.test");
        _work.Commit("feat: three services");
        _work.Git("checkout", "--quiet", "-b", "prod");
        _work.Git("push", "--quiet", "origin", "prod");
    }

    public void Dispose() => _sandbox.Dispose();

    private static readonly (string Service, string Image, string Digest)[] Services =
    [
        ("api", "svc-api", "sha256:" + new string('a', 64)),
        ("web", "svc-web", "sha256:" + new string('b', 64)),
    ];

    /// <summary>What PushGar leaves in a many-service release run: a push record per service and the typed
    /// results.</summary>
    private void Pushed(ServicesReleaseBuild build, ReleaseHarness harness, string tag)
    {
        var images = Directory.CreateDirectory(Path.Combine(_work.Path, "artifacts", "images")).FullName;
        var pushes = Services
            .Select(s =>
            {
                File.WriteAllText(
                    Path.Combine(images, $"{s.Image}.release.push.json"),
                    $$"""{"purpose":"release","digest":"{{s.Digest}}"}"""
                );
                return new ServicePush(
                    s.Service,
                    s.Image,
                    new PushedImage(
                        PushPurpose.Release,
                        "gar",
                        false,
                        Pipeline.Registry.Digest.Parse(s.Digest),
                        [$"gar.example/p/images/{s.Image}:{tag}"],
                        [],
                        null
                    )
                );
            })
            .ToList();
        harness.Do(() => build.SetResult(() => ((IPushGar)build).GarServicePushes, pushes));
    }

    [GitFact]
    public async Task The_local_release_record_lists_each_services_digest_and_attaches_each_push_record()
    {
        var build = new ServicesReleaseBuild();
        using var harness = new ReleaseHarness(_work.Path);
        await harness.RunAsync(((ITagCalVer)build).TagCalVer);
        var tag = harness.Read(() => ((ITagCalVer)build).ReleaseTag)!.Tag;
        Pushed(build, harness, tag);

        await harness.RunAsync(((IRelease)build).Release);

        var folder = Path.Combine(_work.Path, "artifacts", "releases", tag);
        var notes = File.ReadAllText(Path.Combine(folder, "notes.md"));
        Assert.Contains("### Images", notes);
        foreach (var (service, image, digest) in Services)
            Assert.Contains($"| `{service}` | `gar.example/p/images/{image}:{tag}` | `{digest}` |", notes);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "release.json")));
        var listed = json
            .RootElement.GetProperty("images")
            .EnumerateArray()
            .Select(i => (i.GetProperty("service").GetString(), i.GetProperty("digest").GetString()))
            .ToList();
        Assert.Equal(Services.Select(s => ((string?)s.Service, (string?)s.Digest)), listed);
        var assets = json
            .RootElement.GetProperty("assets")
            .EnumerateArray()
            .Select(a => a.GetProperty("name").GetString())
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(["svc-api.release.push.json", "svc-web.release.push.json"], assets);
    }

    [GitFact]
    public async Task The_github_release_body_lists_each_services_digest_without_leaking_the_token()
    {
        using var github = new GitHubApiServer(Canary);
        var build = new ServicesReleaseBuild();
        var actions = new GitHubActionsContext(
            "push",
            "refs/heads/prod",
            "prod",
            "",
            "octo-org/services",
            "https://github.com",
            "1",
            null,
            false,
            null,
            null
        );
        using var harness = new ReleaseHarness(
            _work.Path,
            new BuildHost(HostKind.GitHubActions, false, actions, false)
        );
        harness.Set(nameof(IReleaseFlow.GithubToken), Canary, secret: true);
        harness.Set(nameof(IRelease.GithubApiUrl), github.BaseAddress + "api/v3");
        await harness.RunAsync(((ITagCalVer)build).TagCalVer);
        var tag = harness.Read(() => ((ITagCalVer)build).ReleaseTag)!.Tag;
        Pushed(build, harness, tag);

        await harness.RunAsync(((IRelease)build).Release);

        var release = Assert.Single(github.Releases);
        Assert.Equal(tag, release.Tag);
        foreach (var (service, image, digest) in Services)
            Assert.Contains($"| `{service}` | `gar.example/p/images/{image}:{tag}` | `{digest}` |", release.Body);
        Assert.Equal(
            ["svc-api.release.push.json", "svc-web.release.push.json"],
            release.Assets.Select(a => a.Name).Order(StringComparer.Ordinal)
        );
        Assert.DoesNotContain(Canary, release.Body);
        Assert.DoesNotContain(Canary, harness.Sink.Text);
    }

    [GitFact]
    public async Task A_one_image_release_has_no_images_section()
    {
        var build = new ServicesReleaseBuild();
        using var harness = new ReleaseHarness(_work.Path);
        await harness.RunAsync(((ITagCalVer)build).TagCalVer);
        var tag = harness.Read(() => ((ITagCalVer)build).ReleaseTag)!.Tag;

        await harness.RunAsync(((IRelease)build).Release);

        var folder = Path.Combine(_work.Path, "artifacts", "releases", tag);
        Assert.DoesNotContain("### Images", File.ReadAllText(Path.Combine(folder, "notes.md")));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "release.json")));
        Assert.False(json.RootElement.TryGetProperty("images", out _));
    }
}
