using Pipeline.Components.Containers;
using Pipeline.Components.Release;
using Pipeline.Containers.Images;
using Pipeline.Engine;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Release;

/// <summary>
/// A release image carries its CalVer tag as <c>org.opencontainers.image.version</c>, though the tag is made only after
/// the image built: BuildImage labels it with the tag TagCalVer is about to make, through the real engine, a private
/// Podman API socket and a real clone with a bare origin (local profile: the tag stays local).
/// </summary>
public sealed class ReleaseImageVersionTests(PodmanService podman) : IClassFixture<PodmanService>, IDisposable
{
    private readonly GitSandbox _sandbox = new();

    private sealed class ReleaseImageBuild : PipelineBuild, IBuildImage, ITagCalVer;

    public void Dispose() => _sandbox.Dispose();

    [PodmanFact]
    public async Task The_release_image_is_labelled_with_the_tag_TagCalVer_then_makes()
    {
        var work = _sandbox.Clone("work");
        work.Git("config", "user.name", "Test Committer");
        work.Git("config", "user.email", "committer@example.test");
        work.Git("checkout", "--quiet", "-b", "prod");
        Directory.CreateDirectory(Path.Combine(work.Path, "svc"));
        File.WriteAllText(Path.Combine(work.Path, "svc", "a.txt"), "a");
        work.CommitFile("svc/Containerfile", "FROM scratch\nCOPY a.txt /a\n", "feat: service");
        var env = new Dictionary<string, string> { ["DOCKER_HOST"] = podman.Endpoint.ToString() };

        var run = await BuildRun.RunAsync(
            new ReleaseImageBuild(),
            work.Path,
            env,
            "BuildImage",
            "TagCalVer",
            "--image-name",
            "versioned",
            "--image-context",
            "svc"
        );

        Assert.True(run.ExitCode == 0, run.Output);
        var tag = Assert.Single(work.LocalTags());
        Assert.Matches(@"^v\d\d\.\d\d\.\d\d\.1$", tag);
        var result = await ImageResult.ReadAsync(Path.Combine(work.Path, "artifacts", "images", "versioned.json"));
        Assert.Equal(tag, result.Labels["org.opencontainers.image.version"]);
    }
}
