using Pipeline.Components.Registry;
using Pipeline.Engine;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Registry;

/// <summary>
/// PushGhcr through the real engine against a real docker-registry: it never pushes first and fails afterwards.
/// A missing archive stops the run before anything is sent; a push with no artifacts/images folder yet still records
/// it.
/// </summary>
public sealed class PushPreflightTests : IDisposable
{
    private readonly TempFolder _root = new("pipeline-push-preflight-");

    private sealed class PushBuild : PipelineBuild, IPushGhcr;

    public void Dispose() => _root.Dispose();

    private async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var run = await BuildRun.RunBareAsync(
            new PushBuild(),
            [.. args, "--root", _root.Path],
            new Dictionary<string, string>(),
            default,
            "PushGhcr"
        );
        return (run.ExitCode, run.Output);
    }

    private static string[] Repositories(RegistryServer registry)
    {
        var folder = Path.Combine(registry.StorageDirectory, "docker", "registry", "v2", "repositories");
        return Directory.Exists(folder) ? Directory.GetDirectories(folder, "*", SearchOption.AllDirectories) : [];
    }

    /// <summary>
    /// The destinations are asked at once: a first registry that never finishes its answer does not hold the preflight
    /// for its deadline (600 s here) when the second one answers. A preflight that asked them in turn would still be
    /// waiting when this test interrupts the run after 60 s (exit 130, not 2).
    /// </summary>
    [RequiresToolsFact("docker-registry")]
    public async Task A_silent_first_destination_does_not_hold_up_the_preflight_when_the_second_answers()
    {
        await using var silent = SickRegistry.Start(Sickness.HeadersThenSilence);
        await using var gar = await RegistryServer.StartAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var run = await BuildRun.RunBareAsync(
            new PushBuild(),
            [
                "--ghcr-host",
                silent.Host,
                "--ghcr-owner",
                "octo-org",
                "--gar-host",
                gar.Host,
                "--gar-project",
                "p",
                "--gar-repository",
                "images",
                "--insecure-registries",
                $"{silent.Host},{gar.Host}",
                "--image-name",
                "svc",
                "--image-tags",
                "pr-1",
                "--registries-pr",
                "ghcr,gar",
                "--registry-timeout",
                "600",
                "--root",
                _root.Path,
            ],
            new Dictionary<string, string>(),
            patience.Token,
            "PushGhcr"
        );

        // The run stops on the missing archive alone: the destinations passed, though ghcr never answered.
        Assert.True(run.ExitCode == 2, run.Output);
        Assert.Contains("the image archive artifacts/images/svc.tar does not exist", run.Output);
        Assert.DoesNotContain("can take the image", run.Output);
        Assert.True(silent.Requests > 0, "ghcr was never asked");
        Assert.Empty(Repositories(gar));
    }

    [RequiresToolsFact("docker-registry")]
    public async Task Without_an_archive_nothing_is_pushed_and_the_run_stops_with_one_line()
    {
        await using var ghcr = await RegistryServer.StartAsync();

        var (exit, output) = await RunAsync(
            "--ghcr-host",
            ghcr.Host,
            "--ghcr-owner",
            "octo-org",
            "--image-name",
            "svc",
            "--image-tags",
            "pr-1",
            "--registries-pr",
            "ghcr"
        );

        Assert.Equal(2, exit);
        Assert.Contains(
            "PushGhcr: the image archive artifacts/images/svc.tar does not "
                + "exist; run BuildImage in the same build or pass --image-archive",
            output
        );
        Assert.Empty(Repositories(ghcr));
        Assert.DoesNotContain("Exception", output);
    }

    [RequiresToolsFact("docker-registry")]
    public async Task An_archive_outside_artifacts_is_pushed_and_recorded_though_artifacts_images_did_not_exist()
    {
        await using var ghcr = await RegistryServer.StartAsync();
        var archive = Path.Combine(_root.Path, "elsewhere", "svc.tar");
        await RegistryTestImage.WriteDockerArchiveAsync(archive, 2, 10_000);
        Assert.False(Directory.Exists(Path.Combine(_root.Path, "artifacts", "images")));

        var (exit, output) = await RunAsync(
            "--ghcr-host",
            ghcr.Host,
            "--ghcr-owner",
            "octo-org",
            "--image-name",
            "svc",
            "--image-tags",
            "pr-1",
            "--registries-pr",
            "ghcr",
            "--image-archive",
            archive
        );

        Assert.True(exit == 0, output);
        Assert.NotEmpty(Repositories(ghcr));
        Assert.True(File.Exists(Path.Combine(_root.Path, "artifacts", "images", "svc.pr.push.json")));
    }

    [RequiresToolsFact("docker-registry")]
    public async Task An_image_name_with_a_path_is_recorded_in_one_file_named_like_its_archive()
    {
        await using var ghcr = await RegistryServer.StartAsync();
        await RegistryTestImage.WriteDockerArchiveAsync(
            Path.Combine(_root.Path, "artifacts", "images", "team-app.tar"),
            2,
            10_000
        );

        var (exit, output) = await RunAsync(
            "--ghcr-host",
            ghcr.Host,
            "--ghcr-owner",
            "octo-org",
            "--image-name",
            "team/app",
            "--image-tags",
            "pr-1",
            "--registries-pr",
            "ghcr"
        );

        Assert.True(exit == 0, output);
        Assert.True(File.Exists(Path.Combine(_root.Path, "artifacts", "images", "team-app.pr.push.json")), output);
        Assert.False(Directory.Exists(Path.Combine(_root.Path, "artifacts", "images", "team")));
    }

    [Fact]
    public async Task A_bad_port_and_a_bad_host_name_the_parameter_and_its_source()
    {
        Directory.CreateDirectory(Path.Combine(_root.Path, "deploy"));
        File.WriteAllText(
            Path.Combine(_root.Path, "deploy", "config.env"),
            "GHCR_HOST=ghcr.io:99999\nLOCAL_REGISTRY_PORT=0\n"
        );

        var (exit, output) = await RunAsync();

        Assert.Equal(2, exit);
        Assert.Contains(
            "PushGhcr: --ghcr-host (from deploy/config.env:1): 'ghcr.io:99999' is not a host name or address",
            output
        );
        Assert.Contains("PushGhcr: --local-registry-port (from deploy/config.env:2): 0 is outside 1–65535", output);
    }
}
