using System.Text.Json;
using Pipeline.Components.Deploy;
using Pipeline.Components.Tests.Containers;
using Pipeline.Components.Tests.Quality;
using Pipeline.Engine;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Deploy;

/// <summary>
/// Deploy, Rollback and DeployHistory as a build runs them: settings from deploy/config.env, the release resolved in a
/// real registry (basic auth, credentials from a docker config as the push reads them), real containers on Podman behind
/// the build's own HAProxy. GitHub is the local stand-in (<see cref="GitHubApiServer"/>, extended here with the documented
/// deployments and deployment-statuses endpoints), since github.com cannot be reached from tests.
/// </summary>
public sealed class DeployComponentTests(DeployRig rig) : IClassFixture<DeployRig>, IAsyncDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pipeline-deploy-build-").FullName;
    private readonly int _listen = FreePort.Next();

    private sealed class DeployBuild : PipelineBuild, IDeploy, IRollback, IDeployHistory;

    [DeployFact]
    public async Task Deploy_rollback_and_history_run_as_targets_and_record_github_deployments()
    {
        using var github = new GitHubApiServer("gh-deploy-token-canary");
        var env = Prepare(github);

        var first = await RunAsync(env, "Deploy", "--deploy-image", "v1");
        Assert.True(first.ExitCode == 0, first.Output);
        var second = await RunAsync(env, "Deploy", "--deploy-image", "v2");
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains($"ci runs {rig.Digests["v2"]} (v2, commit ", second.Output);
        Assert.Contains($"previous {rig.Digests["v1"]} stopped and kept for rollback", second.Output);
        Assert.Equal("v2", await ServedAsync());

        var rollback = await RunAsync(env, "Rollback");
        Assert.True(rollback.ExitCode == 0, rollback.Output);
        Assert.Contains("starting kept container", rollback.Output);
        Assert.Equal("v1", await ServedAsync());
        var summary = await File.ReadAllTextAsync(Path.Combine(_root, "artifacts", "summary.md")); // each run writes its own
        Assert.Contains("**Rollback** ci runs", summary);

        var history = await RunAsync(env, "DeployHistory");
        Assert.True(history.ExitCode == 0, history.Output);
        Assert.Contains("Deploy ledger ci: 3 record(s)", history.Output);
        Assert.Contains("rollback succeeded", history.Output);

        // GitHub Deployments: one per run, of the commit, with the digest in the payload, in_progress then success.
        Assert.Equal(3, github.Deployments.Count);
        Assert.All(github.Deployments, d => Assert.Equal(["in_progress", "success"], d.Statuses.Select(s => s.State)));
        Assert.All(github.Deployments, d => Assert.Equal(("acme/app", "ci"), (d.Repository, d.Environment)));
        Assert.Equal(rig.Digests["v2"], JsonDocument.Parse(github.Deployments[1].Payload).RootElement.GetProperty("digest").GetString());
        Assert.Equal($"http://127.0.0.1:{_listen}/", github.Deployments[0].Statuses[^1].EnvironmentUrl);

        foreach (var output in new[] { first.Output, second.Output, rollback.Output, history.Output, summary })
        {
            Assert.DoesNotContain(DeployRig.Password, output);
            Assert.DoesNotContain("gh-deploy-token-canary", output);
        }
    }

    [DeployFact]
    public async Task A_digest_missing_from_the_registry_and_bad_settings_stop_before_anything_changes()
    {
        using var github = new GitHubApiServer("gh-deploy-token-canary");
        var env = Prepare(github);
        const string missing = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

        var run = await RunAsync(env, "Deploy", "--deploy-image", missing);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"error: Deploy: {missing} is not in {rig.Registry.Host}/team/sample; nothing was changed", run.Output);
        Assert.Empty(github.Deployments);
        Assert.False(Directory.Exists(Path.Combine(_root, "state", "haproxy")), "no switch should have been started");

        // Settings are read like the build's other environment variables: from the process environment.
        Environment.SetEnvironmentVariable("DEPLOY_CI_CANARY_WEIGHT", "110");
        Environment.SetEnvironmentVariable("DEPLOY_CI_PORTS", "80");
        var bad = await RunAsync(env, "Deploy", "--deploy-image", "v1");
        Environment.SetEnvironmentVariable("DEPLOY_CI_CANARY_WEIGHT", null);
        Environment.SetEnvironmentVariable("DEPLOY_CI_PORTS", null);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("DEPLOY_CI_PORTS (environment variable DEPLOY_CI_PORTS): '80' is not two different ports", bad.Output);
        Assert.Contains("DEPLOY_CI_CANARY_WEIGHT (environment variable DEPLOY_CI_CANARY_WEIGHT): '110' is not a percentage of traffic", bad.Output);
        Assert.DoesNotContain("Exception", bad.Output);
    }

    private Dictionary<string, string> Prepare(GitHubApiServer github)
    {
        Directory.CreateDirectory(Path.Combine(_root, "deploy"));
        File.WriteAllText(Path.Combine(_root, "deploy", "config.env"), $"""
            IMAGE_NAME=team/sample
            LOCAL_REGISTRY_PORT={rig.Registry.Port}
            DEPLOY_ENVIRONMENTS=ci
            DEPLOY_CI_HOST={rig.Podman.Endpoint}
            DEPLOY_CI_REGISTRY=local
            DEPLOY_CI_SWITCH=haproxy-local
            DEPLOY_CI_LISTEN=127.0.0.1:{_listen}
            DEPLOY_CI_PORTS={FreePort.Next()},{FreePort.Next()}
            DEPLOY_CI_HEALTH_PATH=/cgi-bin/health
            DEPLOY_CI_HEALTH_TIMEOUT=10s
            DEPLOY_CI_CANARY_WEIGHT=20
            DEPLOY_CI_CANARY_WINDOW=1s

            """);
        if (!Directory.Exists(Path.Combine(_root, ".git"))) ContainerBuildRun.InitRepository(_root);
        // The pull uses what the push uses for the local registry: the docker config's login.
        var dockerConfig = Directory.CreateDirectory(Path.Combine(_root, "docker-config")).FullName;
        var auth = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{DeployRig.User}:{DeployRig.Password}"));
        var config = new System.Text.Json.Nodes.JsonObject { ["auths"] = new System.Text.Json.Nodes.JsonObject { [rig.Registry.Host] = new System.Text.Json.Nodes.JsonObject { ["auth"] = auth } } };
        File.WriteAllText(Path.Combine(dockerConfig, "config.json"), config.ToJsonString());
        // Credential files are read from the process environment (as podman and skopeo do); open registries never ask for them.
        Environment.SetEnvironmentVariable("REGISTRY_AUTH_FILE", Path.Combine(dockerConfig, "config.json"));
        return new Dictionary<string, string>
        {
            ["GITHUB_TOKEN"] = github.Token,
            ["GITHUB_API_URL"] = github.BaseAddress.ToString(),
            ["GITHUB_REPOSITORY"] = "acme/app",
        };
    }

    private Task<BuildRun> RunAsync(Dictionary<string, string> env, params string[] args)
        => BuildRun.RunAsync(new DeployBuild(), _root, env, [.. args, "--deploy-environment", "ci", "--deploy-state-directory", Path.Combine(_root, "state")]);

    private async Task<string> ServedAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return (await http.GetStringAsync($"http://127.0.0.1:{_listen}/")).Trim();
    }

    public async ValueTask DisposeAsync()
    {
        Environment.SetEnvironmentVariable("REGISTRY_AUTH_FILE", null);
        var pid = Path.Combine(_root, "state", "haproxy", "ci", "haproxy.pid");
        if (File.Exists(pid) && int.TryParse(File.ReadAllText(pid).Trim(), out var haproxy))
        {
            using var process = System.Diagnostics.Process.GetProcessById(haproxy);
            process.Kill();
        }

        await rig.PodmanAsync("rm", "--all", "--force", "--time", "0");
        Directory.Delete(_root, recursive: true);
    }
}
