using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pipeline.Components.Deploy;
using Pipeline.Components.SupplyChain;
using Pipeline.Components.Tests.Containers;
using Pipeline.Engine;
using Pipeline.Engine.Parameters;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Deploy;

/// <summary>
/// Deploy, Rollback and DeployHistory as a build runs them: settings from deploy/config.env, the release resolved in a
/// real registry (basic auth, credentials from a docker config as the push reads them), real containers on Podman
/// behind the build's own HAProxy. GitHub is the local stand-in (<see cref="GitHubApiServer"/>, extended here with the
/// documented deployments and deployment-statuses endpoints), since github.com cannot be reached from tests.
/// </summary>
public sealed class DeployComponentTests(DeployRig rig, InstalledChromium chromium)
    : IClassFixture<DeployRig>,
        IClassFixture<InstalledChromium>,
        IAsyncLifetime
{
    private readonly TempFolder _root = new("pipeline-deploy-build-");
    private readonly int _listen = FreePort.Next();

    private sealed class DeployBuild : PipelineBuild, IDeploy, IRollback, IDeployHistory;

    /// <summary>A build with the supply-chain component: Deploy's default <see cref="IDeploy.ReleaseVerifier"/> is its
    /// ShippingGate.</summary>
    private sealed class SupplyChainDeployBuild : PipelineBuild, IDeploy, ISupplyChain;

    private sealed class SupplyChainDeployRollbackBuild : PipelineBuild, IDeploy, IRollback, ISupplyChain;

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
        // each run writes its own
        var summary = await File.ReadAllTextAsync(Path.Combine(_root.Path, "artifacts", "summary.md"));
        Assert.Contains("**Rollback** ci runs", summary);

        // The typed results: what each target put into service, for later targets and jobs.
        using (
            var deployed = JsonDocument.Parse(
                File.ReadAllText(Path.Combine(_root.Path, "artifacts", "results", "Deploy.DeployedRelease.json"))
            )
        )
        {
            var result = deployed.RootElement.GetProperty("value");
            Assert.Equal(
                ("ci", rig.Digests["v2"], "v2", "promoted", 20),
                (
                    result.GetProperty("environment").GetString(),
                    result.GetProperty("digest").GetString(),
                    result.GetProperty("tag").GetString(),
                    result.GetProperty("outcome").GetString(),
                    result.GetProperty("canaryWeight").GetInt32()
                )
            );
            Assert.Equal(
                $"{rig.Registry.Host}/team/sample@{rig.Digests["v2"]}",
                result.GetProperty("image").GetString()
            );
            Assert.Equal(rig.Digests["v1"], result.GetProperty("previousDigest").GetString());
            Assert.Equal(40, result.GetProperty("commit").GetString()!.Length);
            Assert.Matches("^[0-9a-f]{64}$", result.GetProperty("container").GetString()!);
        }

        using (
            var rolledBack = JsonDocument.Parse(
                File.ReadAllText(Path.Combine(_root.Path, "artifacts", "results", "Rollback.RolledBackRelease.json"))
            )
        )
        {
            var result = rolledBack.RootElement.GetProperty("value");
            Assert.Equal(
                (rig.Digests["v1"], "switched", true),
                (
                    result.GetProperty("digest").GetString(),
                    result.GetProperty("outcome").GetString(),
                    result.GetProperty("reusedContainer").GetBoolean()
                )
            );
        }

        var history = await RunAsync(env, "DeployHistory");
        Assert.True(history.ExitCode == 0, history.Output);
        Assert.Contains("Deploy ledger ci: 3 record(s)", history.Output);
        Assert.Contains("rollback succeeded", history.Output);

        // GitHub Deployments: one per run, of the commit, with the digest in the payload, in_progress then success.
        Assert.Equal(3, github.Deployments.Count);
        Assert.All(github.Deployments, d => Assert.Equal(["in_progress", "success"], d.Statuses.Select(s => s.State)));
        Assert.All(github.Deployments, d => Assert.Equal(("acme/app", "ci"), (d.Repository, d.Environment)));
        Assert.Equal(
            rig.Digests["v2"],
            JsonDocument.Parse(github.Deployments[1].Payload).RootElement.GetProperty("digest").GetString()
        );
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
        Assert.Contains(
            $"error: Deploy: {missing} is not in {rig.Registry.Host}/team/sample; nothing was changed",
            run.Output
        );
        Assert.Empty(github.Deployments);
        Assert.False(
            Directory.Exists(Path.Combine(_root.Path, "state", "haproxy")),
            "no switch should have been started"
        );

        // Settings are read like every parameter (an environment variable over deploy/config.env) and checked before
        // the build starts: exit 2, every problem on its own line with its source, nothing run.
        var bad = await RunAsync(
            new Dictionary<string, string>(env) { ["DEPLOY_CI_CANARY_WEIGHT"] = "110", ["DEPLOY_CI_PORTS"] = "80" },
            "Deploy",
            "--deploy-image",
            "v1"
        );
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains(
            "Deploy: DEPLOY_CI_PORTS (environment variable DEPLOY_CI_PORTS): '80' is not two different ports",
            bad.Output
        );
        Assert.Contains(
            "Deploy: DEPLOY_CI_CANARY_WEIGHT (environment variable "
                + "DEPLOY_CI_CANARY_WEIGHT): '110' is not a percentage of traffic",
            bad.Output
        );
        Assert.DoesNotContain("Exception", bad.Output);
        Assert.Empty(github.Deployments);
    }

    [DeployFact]
    public async Task A_mistyped_deploy_key_in_config_env_is_an_error_naming_its_line_not_ignored()
    {
        using var github = new GitHubApiServer("gh-deploy-token-canary");
        var env = Prepare(github);
        var config = Path.Combine(_root.Path, "deploy", "config.env");
        File.AppendAllText(config, "DEPLOY_CI_HELTH_TIMEOUT=5s\n");
        var lines = File.ReadAllLines(config).Length;

        var run = await RunAsync(env, "Deploy", "--deploy-image", "v1");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(
            $"deploy/config.env:{lines}: DEPLOY_CI_HELTH_TIMEOUT is not a parameter of "
                + $"this build, nor a DEPLOY_ setting (DEPLOY_ENVIRONMENTS, DEPLOY_<NAME>_HOST|",
            run.Output
        );
        Assert.Contains("(did you mean 'DEPLOY_CI_HEALTH_TIMEOUT'?)", run.Output);

        // A well-formed key for an environment DEPLOY_ENVIRONMENTS does not list: a misspelt name, also refused.
        File.WriteAllLines(config, File.ReadAllLines(config)[..^1].Append("DEPLOY_CII_KEEP=3"));
        var misnamed = await RunAsync(env, "Deploy", "--deploy-image", "v1");

        Assert.Equal(2, misnamed.ExitCode);
        Assert.Contains(
            $"Deploy: DEPLOY_CII_KEEP (deploy/config.env:{lines}) "
                + $"belongs to no environment of DEPLOY_ENVIRONMENTS (ci)",
            misnamed.Output
        );
        Assert.False(Directory.Exists(Path.Combine(_root.Path, "state")), "nothing may have run");

        // An environment variable that replaces the list (a one-off environment) leaves the file's other environments
        // alone: the run gets past the settings check to the registry (where the tag does not exist).
        var oneOff = await RunAsync(
            new Dictionary<string, string>(env) { ["DEPLOY_ENVIRONMENTS"] = "ci,extra" },
            "Deploy",
            "--deploy-image",
            "no-such-tag"
        );
        Assert.DoesNotContain("belongs to no environment", oneOff.Output);
        Assert.Contains("no-such-tag is not in", oneOff.Output);
    }

    [DeployFact]
    public async Task With_the_supply_chain_an_unverified_image_is_refused_on_GitHub_Actions_before_anything_changes()
    {
        using var github = new GitHubApiServer("gh-deploy-token-canary");
        var env = Prepare(github);
        // GitHub Actions as the runner presents itself (variables only; the API is the local stand-in above).
        env["GITHUB_ACTIONS"] = "true";
        env["GITHUB_EVENT_NAME"] = "push";
        env["GITHUB_REF"] = "refs/heads/main";
        env["GITHUB_SHA"] = "0123456789abcdef0123456789abcdef01234567";
        env["GITHUB_RUN_ID"] = "77";
        env["VERIFY_REPOSITORY"] = "https://github.com/acme/app";
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var containersBefore = await rig.PodmanAsync("ps", "--all", "--quiet", "--no-trunc");

        // The rig's images carry no signature: with a key to check against, the gate refuses the digest.
        var unsigned = await RunAsync(
            new Dictionary<string, string>(env) { ["VERIFY_KEY"] = key.ExportSubjectPublicKeyInfoPem() },
            new SupplyChainDeployBuild(),
            "Deploy",
            "--deploy-image",
            "v1"
        );
        // Without any key, an image cannot be checked at all: on GitHub Actions that is a refusal too.
        var unverifiable = await RunAsync(env, new SupplyChainDeployBuild(), "Deploy", "--deploy-image", "v1");

        Assert.Equal(1, unsigned.ExitCode);
        var refusal = unsigned.Output.Split('\n').First(l => l.Contains("refused", StringComparison.Ordinal));
        Assert.Contains("Deploy: ", refusal);
        Assert.Contains($"{rig.Registry.Host}/team/sample@{rig.Digests["v1"]["sha256:".Length..][..12]}", refusal);
        Assert.Contains("refused", refusal);
        Assert.Equal(1, unverifiable.ExitCode);
        Assert.Contains("Deploy: no key to verify with", unverifiable.Output);
        foreach (var run in new[] { unsigned, unverifiable })
        {
            Assert.True(!run.Output.Contains("Exception", StringComparison.Ordinal), run.Output);
            // ::add-mask:: is how the runner learns a secret; every other line must not carry it.
            Assert.DoesNotContain(
                DeployRig.Password,
                string.Join(
                    '\n',
                    run.Output.Split('\n').Where(l => !l.StartsWith("::add-mask::", StringComparison.Ordinal))
                )
            );
        }

        // Nothing changed: no switch started, no container, no ledger line, no GitHub deployment.
        Assert.False(
            Directory.Exists(Path.Combine(_root.Path, "state", "haproxy")),
            "no switch should have been started"
        );
        Assert.False(
            Directory.Exists(Path.Combine(_root.Path, "state", "deploys")),
            "no ledger line should have been written"
        );
        Assert.Equal(containersBefore, await rig.PodmanAsync("ps", "--all", "--quiet", "--no-trunc"));
        Assert.Empty(github.Deployments);
    }

    [DeployFact]
    public async Task With_the_supply_chain_and_no_key_a_local_build_warns_and_deploys()
    {
        using var github = new GitHubApiServer("gh-deploy-token-canary");
        var env = Prepare(github);
        env["VERIFY_REPOSITORY"] = "https://github.com/acme/app";

        var run = await RunAsync(env, new SupplyChainDeployBuild(), "Deploy", "--deploy-image", "v1");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains(
            $"Deploy: {rig.Registry.Host}/team/sample@{rig.Digests["v1"]} is not verified (no key to verify with",
            run.Output
        );
        Assert.Equal("v1", await ServedAsync());
    }

    /// <summary>
    /// Two tiny services, api and web (the rig's images under their own repositories), each with its own slot ports,
    /// listen address, container port (web listens on 8081) and health path: deployed together, then one alone, one
    /// rolled back, and the ledger read per service.
    /// </summary>
    [DeployFact]
    public async Task In_a_many_service_repository_each_service_deploys_rolls_back_and_is_recorded_on_its_own()
    {
        using var github = new GitHubApiServer("gh-deploy-token-canary");
        var env = Prepare(github);
        var web = FreePort.Next();
        File.WriteAllText(
            Path.Combine(_root.Path, "deploy", "config.env"),
            $"""
            IMAGE_NAME=team/api
            LOCAL_REGISTRY_PORT={rig.Registry.Port}
            SERVICE_NAMES=api,web
            SERVICE_API_IMAGE=team/api
            SERVICE_WEB_IMAGE=team/web
            SERVICE_WEB_PORT=8081
            SERVICE_WEB_HEALTH_PATH=/index.html
            DEPLOY_ENVIRONMENTS=ci
            DEPLOY_CI_HOST={rig.Podman.Endpoint}
            DEPLOY_CI_REGISTRY=local
            DEPLOY_CI_SWITCH=haproxy-local
            DEPLOY_CI_LISTEN="api=127.0.0.1:{_listen} web=127.0.0.1:{web}"
            DEPLOY_CI_PORTS="api={FreePort.Next()},{FreePort.Next()} web={FreePort.Next()},{FreePort.Next()}"
            DEPLOY_CI_HEALTH_PATH=/cgi-bin/health
            DEPLOY_CI_HEALTH_TIMEOUT=10s
            DEPLOY_CI_CANARY_WEIGHT=0

            """
        );
        foreach (var service in new[] { "api", "web" })
        {
            Directory.CreateDirectory(Path.Combine(_root.Path, "deploy", "services", service));
            File.WriteAllText(
                Path.Combine(_root.Path, "deploy", "services", service, "Containerfile"),
                "FROM scratch\n"
            );
        }

        var digests = new Dictionary<string, string>();
        // v3: a broken api (its health path is gone) next to a good web (the rig's v2 image).
        foreach (
            var (repository, tag, source) in new[]
            {
                ("team/api", "v1", "v1"),
                ("team/api", "v2", "v2"),
                ("team/web", "v1", "v1"),
                ("team/api", "v3", "broken"),
                ("team/web", "v3", "v2"),
            }
        )
        {
            var digestFile = Path.Combine(_root.Path, "pushed.digest");
            await rig.PodmanAsync(
                "push",
                "--quiet",
                "--tls-verify=false",
                "--digestfile",
                digestFile,
                "--creds",
                $"{DeployRig.User}:{DeployRig.Password}",
                $"localhost/deploy-sample:{source}",
                $"{rig.Registry.Host}/{repository}:{tag}"
            );
            digests[$"{repository}:{tag}"] = File.ReadAllText(digestFile).Trim();
        }

        var both = await RunAsync(env, "Deploy", "--deploy-image", "v1", "--all-services");
        Assert.True(both.ExitCode == 0, both.Output);
        Assert.Equal(("v1", "v1"), (await ServedAsync(), await ServedAsync(web)));
        Assert.Contains($"api in ci runs {digests["team/api:v1"]} (v1, commit ", both.Output);
        Assert.Contains($"web in ci runs {digests["team/web:v1"]} (v1, commit ", both.Output);
        // The run report's deploy section: one row per service, by digest, with how the switch went (no canary here)
        // and that service's own ledger record (both services run one image here: the record is matched by service
        // too).
        var report = File.ReadAllText(Path.Combine(_root.Path, "artifacts", "report", "index.html"));
        foreach (var (service, repository) in new[] { ("api", "team/api"), ("web", "team/web") })
        {
            Assert.Matches(
                $@"<tr><td>{service}</td><td>ci</td><td>[^<]*</td><td>"
                    + $@"{Regex.Escape(digests[repository + ":v1"])}</td><td>v1</td><td>\w+</td><td>none</t"
                    + $@"d><td>[^<]*</td><td>[^<]*</td><td><a href=""http://127\.0\.0\.1:\d+/?"" "
                    + $@"rel=""noreferrer"">[^<]+</a></td><td>ci\.jsonl: "
                    + $@"{service} deploy succeeded at [0-9: -]+Z by ",
                report
            );
        }
        // As a browser draws it (the screenshot is kept): no console error or failed request, each service's address a
        // link.
        var (drawn, page) = await RenderedReport.RenderAsync(
            chromium.Browser ?? throw new InvalidOperationException("chromium is not installed (.ci/run installs it)"),
            Path.Combine(_root.Path, "artifacts", "report", "index.html"),
            "many-service-deploy"
        );
        await page.CloseAsync();
        Assert.Empty(drawn.Errors);
        Assert.Contains("deploy", drawn.Sections);
        Assert.Equal(
            new[] { $"http://127.0.0.1:{_listen}/", $"http://127.0.0.1:{web}/" }.Order(StringComparer.Ordinal),
            drawn.Links.Order(StringComparer.Ordinal)
        );
        // web's own port inside its container, its own names and labels.
        var containers = await rig.PodmanAsync("ps", "--format", "{{.Names}} {{.Ports}} {{.Labels}}");
        Assert.Contains(
            containers.Split('\n'),
            l =>
                l.StartsWith("web-ci-", StringComparison.Ordinal)
                && l.Contains("->8081/tcp", StringComparison.Ordinal)
                && l.Contains("org.pipeline.deploy.service:web", StringComparison.Ordinal)
        );

        var one = await RunAsync(env, "Deploy", "--deploy-image", "v2", "--services", "api");
        Assert.True(one.ExitCode == 0, one.Output);
        Assert.Equal(("v2", "v1"), (await ServedAsync(), await ServedAsync(web)));
        using (
            var deployed = JsonDocument.Parse(
                File.ReadAllText(Path.Combine(_root.Path, "artifacts", "results", "Deploy.DeployedServices.json"))
            )
        )
        {
            var only = Assert.Single(deployed.RootElement.GetProperty("value").EnumerateArray());
            Assert.Equal(
                ("api", digests["team/api:v2"], digests["team/api:v1"]),
                (
                    only.GetProperty("service").GetString(),
                    only.GetProperty("digest").GetString(),
                    only.GetProperty("previousDigest").GetString()
                )
            );
        }

        var rollback = await RunAsync(env, "Rollback", "--services", "api");
        Assert.True(rollback.ExitCode == 0, rollback.Output);
        Assert.Equal(("v1", "v1"), (await ServedAsync(), await ServedAsync(web)));

        // A failing service stops only its own rollout: api's green is removed (api keeps serving v1), web goes to v3.
        var partly = await RunAsync(
            new Dictionary<string, string>(env) { ["DEPLOY_CI_HEALTH_TIMEOUT"] = "2s" },
            "Deploy",
            "--deploy-image",
            "v3",
            "--all-services"
        );
        Assert.Equal(1, partly.ExitCode);
        Assert.Single(
            partly.Output.Split('\n'),
            l =>
                l.StartsWith(
                    "error: Deploy: 1 of 2 service deploy(s) failed: api: ci: green ",
                    StringComparison.Ordinal
                ) && l.Contains("is not healthy", StringComparison.Ordinal)
        );
        Assert.Matches(@"Deploy\s+failed \(1 of 2 services\)", partly.Output);
        Assert.Contains("error: Build failed: Deploy (api)", partly.Output);
        Assert.Equal(("v1", "v2"), (await ServedAsync(), await ServedAsync(web)));
        using (
            var deployed = JsonDocument.Parse(
                File.ReadAllText(Path.Combine(_root.Path, "artifacts", "results", "Deploy.DeployedServices.json"))
            )
        )
            Assert.Equal(
                "web",
                Assert
                    .Single(deployed.RootElement.GetProperty("value").EnumerateArray())
                    .GetProperty("service")
                    .GetString()
            );

        var history = await RunAsync(env, "DeployHistory", "--services", "web");
        Assert.True(history.ExitCode == 0, history.Output);
        Assert.Contains("Deploy ledger ci, service(s) web: 2 record(s)", history.Output);
        Assert.Matches(@"ci\s+web\s+deploy\s+succeeded", history.Output);
        Assert.DoesNotContain(" api ", history.Output);
        // One GitHub Deployment per service and run, the service in its payload.
        Assert.Equal(
            ["api", "api", "api", "api", "web", "web"],
            github
                .Deployments.Select(d => JsonDocument.Parse(d.Payload).RootElement.GetProperty("service").GetString())
                .Order(StringComparer.Ordinal)
        );

        // Wrong selections stop before anything runs: one line each naming the option, exit 2, nothing changed.
        var ledger = File.ReadAllText(Path.Combine(_root.Path, "state", "deploys", "ci.jsonl"));
        foreach (
            var (args, expected) in new (string[], string)[]
            {
                (
                    ["Rollback"],
                    "error: Rollback: a many-service repository rolls back "
                        + "the services you name: add --services a,b or --all-services"
                ),
                (
                    ["Deploy", "--deploy-image", "v1"],
                    "error: Deploy: --deploy-image: which services get it? In a "
                        + "many-service repository add --services a,b or --all-services"
                ),
                (
                    ["Deploy", "--deploy-image", digests["team/api:v1"], "--all-services"],
                    "error: Deploy: --deploy-image: a digest is the image of one "
                        + "service, and 2 are named; name one with --services, or give a tag"
                ),
                (
                    ["Deploy", "--deploy-image", "v1", "--services", "api", "--deploy-service", "api"],
                    "error: Deploy: --deploy-service: names the service of a one-image "
                        + "repository; deploy/config.env lists services, so name them with --services"
                ),
                (
                    ["DeployHistory", "--services", "billing"],
                    "error: DeployHistory: --services: 'billing' is not a service of deploy/config.env (api, web)"
                ),
            }
        )
        {
            var refused = await RunAsync(env, args);
            Assert.True(refused.ExitCode == 2, refused.Output);
            Assert.Contains(expected, refused.Output);
            Assert.DoesNotContain("Exception", refused.Output);
        }

        var badPorts = await RunAsync(
            new Dictionary<string, string>(env) { ["DEPLOY_CI_PORTS"] = "18081,18082" },
            "Deploy",
            "--deploy-image",
            "v1",
            "--all-services"
        );
        Assert.Equal(2, badPorts.ExitCode);
        Assert.Contains(
            "error: Deploy: DEPLOY_CI_PORTS (environment variable DEPLOY_CI_PORTS): "
                + "'18081,18082' is not service=value: a many-service repository "
                + "gives each service its own, e.g. api=18081,18082 web=18083,18084",
            badPorts.Output
        );

        // A service without slots in the environment does not deploy there: refused before the first side effect.
        var apiOnly = new Dictionary<string, string>(env)
        {
            ["DEPLOY_CI_PORTS"] = $"api={FreePort.Next()},{FreePort.Next()}",
            ["DEPLOY_CI_LISTEN"] = $"api=127.0.0.1:{_listen}",
        };
        var noSlots = await RunAsync(apiOnly, "Deploy", "--deploy-image", "v2", "--services", "web");
        Assert.Equal(2, noSlots.ExitCode);
        Assert.Contains(
            "service web has no entry in DEPLOY_CI_PORTS, so it cannot "
                + "deploy to ci; give it two slot ports there (web=PORT_A,PORT_B)",
            noSlots.Output
        );
        Assert.Equal(ledger, File.ReadAllText(Path.Combine(_root.Path, "state", "deploys", "ci.jsonl")));
        Assert.Equal(("v1", "v2"), (await ServedAsync(), await ServedAsync(web)));
    }

    /// <summary>
    /// An emergency rollback during a registry outage: the environment pulls from a registry (GHCR's settings, pointing
    /// at the rig) that is down by the time of the rollback; the release asked for is a kept container on the host, so
    /// the registry is never needed. A tag with no kept container still needs it, and says so in one line.
    /// </summary>
    [DeployFact]
    public async Task Rollback_to_a_tag_whose_container_is_kept_works_while_the_registry_is_down()
    {
        PrepareRepository();
        var env = new Dictionary<string, string>
        {
            ["DEPLOY_CI_REGISTRY"] = "ghcr",
            ["GHCR_HOST"] = rig.Registry.Host,
            ["GHCR_OWNER"] = "team",
            ["IMAGE_NAME"] = "sample",
        };
        foreach (var tag in new[] { "v1", "v2" })
        {
            var deploy = await RunAsync(env, "Deploy", "--deploy-image", tag, "--deploy-no-canary");
            Assert.True(deploy.ExitCode == 0, deploy.Output);
        }

        var down = new Dictionary<string, string>(env)
        {
            ["GHCR_HOST"] = $"127.0.0.1:{FreePort.Next()}",
            ["REGISTRY_RETRIES"] = "0",
        };
        var rollback = await RunAsync(down, "Rollback", "--to", "v1");

        Assert.True(rollback.ExitCode == 0, rollback.Output);
        Assert.Contains("Rollback ci: v1 is kept on the host (sample-ci-", rollback.Output);
        Assert.Contains("the registry is not needed", rollback.Output);
        Assert.Contains("starting kept container", rollback.Output);
        Assert.Equal("v1", await ServedAsync());
        var record = File.ReadAllLines(Path.Combine(_root.Path, "state", "deploys", "ci.jsonl"))[^1];
        Assert.Contains("\"action\":\"rollback\"", record);
        Assert.Contains($"\"digest\":\"{rig.Digests["v1"]}\"", record);
        Assert.Contains("\"outcome\":\"succeeded\"", record);

        // With the supply chain and a key to check against, the kept release cannot be checked again while the registry
        // is down: it rolls back all the same (it was checked when deployed here), with one warning saying so.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var gated = await RunAsync(
            new Dictionary<string, string>(down)
            {
                ["VERIFY_KEY"] = key.ExportSubjectPublicKeyInfoPem(),
                ["VERIFY_REPOSITORY"] = "https://github.com/acme/app",
            },
            new SupplyChainDeployRollbackBuild(),
            "Rollback",
            "--to",
            "v2"
        );
        Assert.True(gated.ExitCode == 0, gated.Output);
        Assert.Single(
            gated.Output.Split('\n'),
            l =>
                l.Contains(
                    $"the kept release {rig.Digests["v2"][..19]} is not verified again: 127.0.0.1:",
                    StringComparison.Ordinal
                ) && l.Contains("it was verified when it was deployed here", StringComparison.Ordinal)
        );
        Assert.Equal("v2", await ServedAsync());

        var missing = await RunAsync(down, "Rollback", "--to", "v0");
        Assert.Equal(1, missing.ExitCode);
        Assert.Single(
            missing.Output.Split('\n'),
            l => l.StartsWith("error: Rollback: cannot resolve v0 in 127.0.0.1:", StringComparison.Ordinal)
        );
        Assert.DoesNotContain("Exception", missing.Output);
        Assert.Equal("v2", await ServedAsync());
    }

    /// <summary>
    /// Multi-platform releases (issue 27): an index in the real registry whose host-platform image is the rig's v1 (and
    /// whose other platform's image the host never pulls). Deploy and Rollback run the host's image and record which
    /// (labels, ledger, DeployHistory); an index without the host's platform is refused by Deploy and by Rollback --to
    /// in one line, before the lock or any container: the ledger, the containers and what serves stay as they were.
    /// </summary>
    [DeployFact]
    public async Task An_index_runs_the_hosts_image_and_one_without_that_platform_is_refused_by_deploy_and_rollback()
    {
        PrepareRepository();
        var env = new Dictionary<string, string>();
        var host =
            System.Runtime.InteropServices.RuntimeInformation.OSArchitecture
            == System.Runtime.InteropServices.Architecture.Arm64
                ? "linux/arm64"
                : "linux/amd64";
        var other = host == "linux/amd64" ? "linux/arm64" : "linux/amd64";
        var multi = await PushIndexAsync("m1", (host, "v1"), (other, "v2"));
        var foreign = await PushIndexAsync("s390x-only", ("linux/s390x", "v2"));

        foreach (var tag in new[] { "v2", "m1" })
        {
            var deploy = await RunAsync(env, "Deploy", "--deploy-image", tag, "--deploy-no-canary");
            Assert.True(deploy.ExitCode == 0, deploy.Output);
        }

        Assert.Equal("v1", await ServedAsync());
        var ledgerPath = Path.Combine(_root.Path, "state", "deploys", "ci.jsonl");
        using (var record = JsonDocument.Parse(File.ReadAllLines(ledgerPath)[^1]))
        {
            Assert.Equal(
                (multi, host, rig.Digests["v1"]),
                (
                    record.RootElement.GetProperty("digest").GetString(),
                    record.RootElement.GetProperty("platform").GetString(),
                    record.RootElement.GetProperty("platformDigest").GetString()
                )
            );
        }

        // a one-platform image's record names none
        Assert.DoesNotContain("\"platform\"", File.ReadAllLines(ledgerPath)[0]);
        var labels = await rig.PodmanAsync("ps", "--format", "{{.Labels}}");
        Assert.Contains($"org.pipeline.deploy.platform:{host}", labels);
        Assert.Contains($"org.pipeline.deploy.platform-digest:{rig.Digests["v1"]}", labels);

        var ledger = File.ReadAllText(ledgerPath);
        var containers = await rig.PodmanAsync("ps", "--all", "--quiet", "--no-trunc");
        foreach (
            var target in new string[][]
            {
                ["Deploy", "--deploy-image", "s390x-only"],
                ["Rollback", "--to", "s390x-only"],
            }
        )
        {
            var refused = await RunAsync(env, target);
            Assert.Equal(1, refused.ExitCode);
            var line = Assert.Single(
                refused.Output.Split('\n'),
                l =>
                    l.StartsWith("error: " + target[0] + ":", StringComparison.Ordinal)
                    && l.Contains("has no", StringComparison.Ordinal)
            );
            Assert.Contains(
                $"the image {foreign} has no {host} image (its index "
                    + $"lists linux/s390x), and {host} is the platform of ",
                line
            );
            Assert.EndsWith("; nothing was changed", line.TrimEnd());
            Assert.DoesNotContain("Exception", refused.Output);
            Assert.Equal(ledger, File.ReadAllText(ledgerPath)); // no ledger line: not even a lock's
            Assert.Equal(containers, await rig.PodmanAsync("ps", "--all", "--quiet", "--no-trunc"));
            Assert.Equal("v1", await ServedAsync());
        }

        // Back to v2 (a one-platform image), then forward again to the index from its kept container: the labels say
        // which image it runs.
        var back = await RunAsync(env, "Rollback");
        Assert.True(back.ExitCode == 0, back.Output);
        var again = await RunAsync(env, "Rollback", "--to", "m1");
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Contains("Rollback ci: m1 is kept on the host", again.Output);
        var ran = again.Output.Replace("`", "", StringComparison.Ordinal);
        Assert.Contains($"ci runs {multi} (m1, commit ", ran);
        Assert.Contains($", its {host} image {rig.Digests["v1"]}) in slot ", ran);
        Assert.Equal("v1", await ServedAsync());
        using (var record = JsonDocument.Parse(File.ReadAllLines(ledgerPath)[^1]))
        {
            Assert.Equal(
                ("rollback", host, rig.Digests["v1"]),
                (
                    record.RootElement.GetProperty("action").GetString(),
                    record.RootElement.GetProperty("platform").GetString(),
                    record.RootElement.GetProperty("platformDigest").GetString()
                )
            );
        }

        var history = await RunAsync(env, "DeployHistory");
        Assert.True(history.ExitCode == 0, history.Output);
        Assert.Equal(
            2,
            history
                .Output.Split('\n')
                .Count(l => l.Contains($"{multi[..19]} ({host} {rig.Digests["v1"][..19]})", StringComparison.Ordinal))
        );
    }

    /// <summary>Puts an OCI index into the rig's registry whose children are the rig's images (by tag) under the
    /// platforms given. Returns its digest.</summary>
    private async Task<string> PushIndexAsync(string tag, params (string Platform, string Image)[] children)
    {
        using var client = new Pipeline.Registry.Remote.RegistryClient(
            rig.Registry.Host,
            new Pipeline.Registry.Auth.StaticCredentials(DeployRig.User, DeployRig.Password, "test"),
            new Pipeline.Registry.Remote.RegistryClientOptions { PlainHttpRegistries = [rig.Registry.Host] }
        );
        var repository = client.Repository(DeployRig.Repository);
        var manifests = new List<(Pipeline.Registry.Images.Platform, Pipeline.Registry.Images.RawManifest)>();
        foreach (var (platform, image) in children)
        {
            var parts = platform.Split('/');
            manifests.Add(
                (
                    new Pipeline.Registry.Images.Platform { Os = parts[0], Architecture = parts[1] },
                    await repository.GetManifestAsync(rig.Digests[image], default)
                )
            );
        }

        var index = Pipeline.Registry.Images.PlatformIndex.Create(manifests);
        await repository.PutManifestAsync(index, null, default);
        await repository.PutManifestAsync(index, tag, default);
        return index.Digest.ToString();
    }

    [Fact]
    public void The_config_key_family_declares_exactly_the_settings_the_reader_reads()
    {
        var family = (ConfigKeyFamilyAttribute)
            Attribute.GetCustomAttribute(typeof(IDeploy), typeof(ConfigKeyFamilyAttribute))!;

        Assert.Equal("DEPLOY_", family.Prefix);
        Assert.Equal([Pipeline.Deploy.Environments.DeployEnvironmentReader.EnvironmentsSuffix], family.Keys);
        Assert.Equal(Pipeline.Deploy.Environments.DeploySettings.All.Order(), family.NamedKeys.Order());
    }

    private Dictionary<string, string> Prepare(GitHubApiServer github)
    {
        PrepareRepository();
        return new Dictionary<string, string>
        {
            ["GITHUB_TOKEN"] = github.Token,
            ["GITHUB_API_URL"] = github.BaseAddress.ToString(),
            ["GITHUB_REPOSITORY"] = "acme/app",
        };
    }

    /// <summary>The repository, and its registry login for the in-process build: credential files are read from the
    /// process environment (as podman and skopeo do).</summary>
    private void PrepareRepository() =>
        Environment.SetEnvironmentVariable("REGISTRY_AUTH_FILE", DeployRepository.Prepare(rig, _root.Path, _listen));

    private Task<BuildRun> RunAsync(Dictionary<string, string> env, params string[] args) =>
        RunAsync(env, new DeployBuild(), args);

    private Task<BuildRun> RunAsync(Dictionary<string, string> env, IPipelineBuild build, params string[] args) =>
        BuildRun.RunAsync(
            build,
            _root.Path,
            env,
            [.. args, "--deploy-environment", "ci", "--deploy-state-directory", Path.Combine(_root.Path, "state")]
        );

    private async Task<string> ServedAsync(int? port = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return (await http.GetStringAsync($"http://127.0.0.1:{port ?? _listen}/")).Trim();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // IAsyncLifetime, not IAsyncDisposable: xunit v2 never calls the latter on a test class, which left an HAProxy
    // process and a temporary folder behind per test.
    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable("REGISTRY_AUTH_FILE", null);
        DeployRepository.StopHaproxy(_root.Path);
        await rig.PodmanAsync("rm", "--all", "--force", "--time", "0");
        _root.Dispose();
    }
}
