using System.Net.Http;
using Pipeline.Setup.Tests.Bootstrap;
using Pipeline.Testing;
using Xunit.Abstractions;

namespace Pipeline.Setup.Tests.EndToEnd;

/// <summary>
/// Fixture (b), tests/data/adopt/hello-web: a static site in a FROM scratch image (root Dockerfile, busybox httpd,
/// /healthz) and no deploy/ folder. Its main job runs on the built-in local defaults: a real docker-registry on
/// loopback, no GitHub token (so the release is a local record), real Podman and HAProxy for the deploy; skopeo checks
/// the registry independently and plain HTTP checks the service answers.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class WebServiceAdoptionTests(ITestOutputHelper log)
{
    [DeployFact]
    public async Task A_scratch_web_service_adopts_Pipeline_and_its_main_job_releases_and_deploys_it_locally()
    {
        var feed = LocalFeed.Shared;
        log.WriteLine($"feed: {feed.Took.TotalSeconds:0.0} s to pack and install the setup tool (once per test run)");
        await using var registry = await RegistryServer.StartAsync();
        using var repo = new AdoptedRepository("hello-web", feed);
        repo.CopyIn(Path.Combine(ScriptSandbox.RepositoryRoot(), "deploy", "base", "busybox"), "vendor/busybox");
        repo.Commit("a static busybox for the image");
        try
        {
            var (exit, output) = repo.Setup();
            Assert.True(exit == 0, output);
            Assert.Contains("Composed IBuildImage, IPushGhcr, IPushGar, ILocalRegistry, IRelease, IDeploy", output);
            Assert.Contains("SERVICE_NAMES=hello-web", repo.Read("deploy/config.env"));
            repo.Commit("pipeline setup");

            var listen = FreePort.Next();
            repo.Environment["LOCAL_REGISTRY_PORT"] = registry.Port.ToString(
                System.Globalization.CultureInfo.InvariantCulture
            );
            repo.Environment["DEPLOY_LOCAL_LISTEN"] = $"hello-web=127.0.0.1:{listen}";
            repo.Environment["DEPLOY_LOCAL_PORTS"] = $"hello-web={FreePort.Next()},{FreePort.Next()}";

            // build.ps1 compiles the build first (PowerShell on Linux); build.sh then runs what it compiled.
            var started = DateTime.UtcNow;
            (exit, output) = repo.BuildPs1("--plan");
            log.WriteLine(
                $"pwsh build.ps1 --plan (first compile of the build "
                    + $"included): {(DateTime.UtcNow - started).TotalSeconds:0.0} s"
            );
            Assert.True(exit == 0, output);
            Assert.Contains("Release", output);

            started = DateTime.UtcNow;
            (exit, output) = repo.BuildSh();
            log.WriteLine($"./build.sh (main job): {(DateTime.UtcNow - started).TotalSeconds:0.0} s");
            Assert.True(exit == 0, output);
            Assert.DoesNotContain("did not compile", output);
            var tag = Assert.Single(repo.Git("tag", "--list", "v*").Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.True(
                await Skopeo.ExistsAsync(registry.Host, "hello-web", tag),
                $"{registry.Host}/hello-web:{tag} is not in the registry\n{output}"
            );
            Assert.Contains("no GitHub token, so nothing was published", output);
            Assert.True(
                Directory.Exists(Path.Combine(repo.Root, "artifacts", "releases", tag)),
                $"no local release record for {tag}\n{output}"
            );
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            Assert.Equal("ok\n", await http.GetStringAsync(new Uri($"http://127.0.0.1:{listen}/healthz")));
        }
        finally
        {
            StopWhatTheDeployStarted(repo, registry.Host);
        }
    }

    /// <summary>The deploy's containers (their image lives in this test's registry) and its HAProxy (pid file in this
    /// test's state folder).</summary>
    private static void StopWhatTheDeployStarted(AdoptedRepository repo, string registryHost)
    {
        var (_, containers) = Command.Run("podman", ["ps", "--all", "--format", "{{.ID}} {{.Image}}"], repo.Root);
        foreach (
            var line in containers
                .Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Where(l => l.Contains(' ' + registryHost + '/', StringComparison.Ordinal))
        )
        {
            Command.Run("podman", ["rm", "--force", "--time", "0", line.Split(' ')[0]], repo.Root);
        }

        var (_, images) = Command.Run("podman", ["images", "--format", "{{.ID}} {{.Repository}}"], repo.Root);
        foreach (
            var line in images
                .Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Where(l => l.Contains(' ' + registryHost + '/', StringComparison.Ordinal))
        )
        {
            Command.Run("podman", ["rmi", "--force", line.Split(' ')[0]], repo.Root);
        }

        if (!Directory.Exists(repo.StateHome))
            return;
        foreach (var pidFile in Directory.EnumerateFiles(repo.StateHome, "haproxy.pid", SearchOption.AllDirectories))
        {
            if (int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
            {
                try
                {
                    using var process = System.Diagnostics.Process.GetProcessById(pid);
                    process.Kill();
                }
                catch (ArgumentException)
                {
                    // already gone
                }
            }
        }
    }
}
