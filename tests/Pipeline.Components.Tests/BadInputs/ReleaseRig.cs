using System.Reflection;
using Pipeline.Engine;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.BadInputs;

/// <summary>
/// Everything a publishing release run of this repository's own build (build/Build.cs) touches, on loopback: a clone on
/// the release branch with a bare origin, a real docker-registry standing in for Artifact Registry (the assembly's
/// shared one: the rig's GAR project is its own namespace there), the local stand-in
/// for GitHub's REST API (it follows GitHub's documented shapes; GitHub itself is never reached), a docker-archive of
/// the image, and a private state folder. <see cref="RunAsync"/> runs <c>TagCalVer PushGar Release --skip</c>
/// in-process, exactly as <c>./build.sh</c> would; <see cref="Changes"/> lists what a run left in the world.
/// </summary>
internal sealed class ReleaseRig : IAsyncDisposable
{
    public const string Canary = "ghs_CANARYbadInputTOKEN_4242";
    private static readonly Type BuildType = Assembly.Load("_build").GetType("Build", throwOnError: true)!;

    private readonly GitSandbox _sandbox = new();
    private readonly TempFolder _outside = new("pipeline-bad-input-");

    private ReleaseRig(SharedRegistry registry)
    {
        Registry = registry;
        Clone = _sandbox.Clone("work");
        Clone.Git("config", "user.name", "Test Committer");
        Clone.Git("config", "user.email", "committer@example.test");
        Clone.Git("checkout", "--quiet", "-b", "prod");
        Clone.Commit("feat: service");
        Clone.Git("push", "--quiet", "origin", "prod");
        Environment = new Dictionary<string, string>
        {
            ["GITHUB_TOKEN"] = Canary,
            ["GITHUB_REPOSITORY"] = "octo-org/service",
            ["PIPELINE_STATE_HOME"] = Path.Combine(_outside.Path, "state"),
            ["HOME"] = Path.Combine(_outside.Path, "home"), // no docker/podman login files of the machine's user
        };
        GarHost = registry.Host;
    }

    public GitClone Clone { get; }

    public SharedRegistry Registry { get; }

    /// <summary>The GAR project PushGar is given: the rig's own namespace on the shared registry.</summary>
    public string Project => Registry.Namespace;

    /// <summary>Tags on the bare origin.</summary>
    public IReadOnlyList<string> OriginTags => _sandbox.RemoteTags();

    public GitHubApiServer GitHub { get; } = new(Canary);

    /// <summary>The registry PushGar is pointed at (the real one unless a row swaps in a sick one).</summary>
    public string GarHost { get; set; }

    public string Archive => Path.Combine(_outside.Path, "svc.tar");

    /// <summary>A folder outside the checkout for files a row needs (key files and the like).</summary>
    public string Outside => _outside.Path;

    public Dictionary<string, string> Environment { get; }

    public static async Task<ReleaseRig> StartAsync()
    {
        var rig = new ReleaseRig(await SharedRegistry.OpenAsync());
        await RegistryTestImage.WriteDockerArchiveAsync(rig.Archive, 2, 20_000);
        return rig;
    }

    /// <summary>Writes a file in the checkout and commits it, so a dirty tree is never the reason a run
    /// stops.</summary>
    public void Commit(string relativePath, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(Clone.Path, relativePath))!);
        Clone.CommitFile(relativePath, content, $"chore: {relativePath}");
    }

    public Task<(int Exit, string Output)> RunAsync(string[] extraArguments) =>
        RunAsync(extraArguments, CancellationToken.None);

    /// <summary>As above; cancelling <paramref name="interrupt"/> interrupts the run as SIGINT interrupts
    /// ./build.sh.</summary>
    public async Task<(int Exit, string Output)> RunAsync(string[] extraArguments, CancellationToken interrupt)
    {
        (string Option, string Value)[] defaults =
        [
            ("--root", Clone.Path),
            ("--github-api-url", GitHub.BaseAddress + "api/v3"),
            ("--image-name", "svc"),
            ("--image-archive", Archive),
            ("--gar-host", GarHost),
            ("--gar-project", Project),
            ("--gar-repository", "images"),
            ("--insecure-registries", GarHost),
            ("--registries-release", "gar"),
            ("--registry-timeout", "6"),
            ("--registry-retries", "1"),
        ];
        // A row's own value for an option replaces the default (an option given twice is a different mistake).
        string[] args =
        [
            "TagCalVer",
            "PushGar",
            "Release",
            "--skip",
            .. defaults.Where(d => !extraArguments.Contains(d.Option)).SelectMany(d => new[] { d.Option, d.Value }),
            .. extraArguments,
        ];
        var build = (IPipelineBuild)Activator.CreateInstance(BuildType, nonPublic: true)!;
        var run = await BuildRun.RunBareAsync(build, args, Environment, interrupt, "Test");
        return (run.ExitCode, run.Output);
    }

    /// <summary>What a run changed in the world: tags (here and on origin), repositories in the rig's namespace of the
    /// registry, GitHub releases, local release records.</summary>
    public IReadOnlyList<string> Changes()
    {
        var changes = new List<string>();
        changes.AddRange(Clone.LocalTags().Select(t => $"local tag {t}"));
        changes.AddRange(_sandbox.RemoteTags().Select(t => $"tag {t} on origin"));
        changes.AddRange(Registry.RepositoriesWithManifests().Select(r => $"manifests in {r}"));
        changes.AddRange(GitHub.Releases.Select(r => $"GitHub release {r.Tag}"));
        var records = Path.Combine(Clone.Path, "artifacts", "releases");
        if (Directory.Exists(records))
            changes.AddRange(Directory.GetDirectories(records).Select(d => $"release record {Path.GetFileName(d)}"));
        return changes;
    }

    public ValueTask DisposeAsync()
    {
        GitHub.Dispose();
        _sandbox.Dispose();
        _outside.Dispose();
        return ValueTask.CompletedTask;
    }
}
