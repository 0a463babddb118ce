using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Deploy.Environments;
using Pipeline.Deploy.Health;
using Pipeline.Deploy.Hosts;
using Pipeline.Deploy.Ledger;
using Pipeline.Deploy.Rollout;
using Pipeline.Deploy.Traffic;
using Pipeline.Registry.Auth;
using Pipeline.Registry.Remote;
using Pipeline.Testing;

namespace Pipeline.Deploy.Tests.Support;

/// <summary>
/// One environment for one test: its own name, ports, HAProxy (started here, stopped on dispose), ledger folder and
/// a deployer on the rig's Podman. Dispose removes every container of the environment and the HAProxy process.
/// </summary>
public sealed class DeploySandbox : IAsyncDisposable
{
    public const string Service = "sample";

    private readonly DeployRig _rig;
    private readonly HttpClient _http = HealthProbe.CreateClient();

    private DeploySandbox(
        DeployRig rig,
        DeployEnvironment environment,
        string directory,
        DockerContainerHost host,
        LocalHaproxy haproxy
    )
    {
        _rig = rig;
        Environment = environment;
        Directory = directory;
        Host = host;
        Haproxy = haproxy;
        Switch = new HaproxyRuntimeSwitch(haproxy.SocketPath, environment.Backend);
        Ledger = new DeployLedger(Path.Combine(directory, "deploys"), line => _warnings?.Invoke(line));
        Deployer = new BlueGreenDeployer(
            environment,
            Service,
            host,
            Switch,
            Ledger,
            new HealthProbe(_http),
            NullLogger.Instance
        );
    }

    private Action<string>? _warnings;

    /// <summary>A deployer of this environment (or <paramref name="environment"/>, changed settings) that tells
    /// <paramref name="log"/> what it says; the ledger's warnings go there too.</summary>
    public BlueGreenDeployer DeployerWith(RecordingLogger log, DeployEnvironment? environment = null)
    {
        _warnings = line => log.Log(Microsoft.Extensions.Logging.LogLevel.Warning, default, line, null, (s, _) => s);
        return new BlueGreenDeployer(
            environment ?? Environment,
            Service,
            Host,
            Switch,
            Ledger,
            new HealthProbe(_http),
            log
        );
    }

    public DeployEnvironment Environment { get; }

    public string Directory { get; }

    public DockerContainerHost Host { get; }

    public LocalHaproxy Haproxy { get; }

    public HaproxyRuntimeSwitch Switch { get; }

    public DeployLedger Ledger { get; }

    public BlueGreenDeployer Deployer { get; }

    public Uri Frontend => new($"http://127.0.0.1:{Environment.Listen!.Value.Port}/");

    public static async Task<DeploySandbox> StartAsync(
        DeployRig rig,
        Func<DeployEnvironment, DeployEnvironment>? adjust = null
    )
    {
        var name = "t" + Guid.NewGuid().ToString("N")[..8];
        var environment = new DeployEnvironment
        {
            Name = name,
            Host = rig.Podman.Endpoint.ToString(),
            Registry = "local",
            Listen = ("127.0.0.1", FreePort.Next()),
            SlotPorts = [FreePort.Next(), FreePort.Next()],
            HealthPath = "/cgi-bin/health",
            HealthTimeout = TimeSpan.FromSeconds(10),
            CanaryWeight = 20,
            CanaryWindow = TimeSpan.FromSeconds(2),
        };
        environment = adjust?.Invoke(environment) ?? environment;
        var directory = System.IO.Directory.CreateTempSubdirectory("pipeline-deploy-env-").FullName;
        var haproxy = new LocalHaproxy(Path.Combine(directory, "haproxy"));
        await haproxy.EnsureAsync(environment, NullLogger.Instance, CancellationToken.None);
        var host = await DockerContainerHost.ConnectAsync(
            environment,
            "test host",
            directory,
            NullLogger.Instance,
            CancellationToken.None
        );
        return new DeploySandbox(rig, environment, directory, host, haproxy);
    }

    public DeployOptions Options(bool canary = true, string action = "deploy") =>
        new()
        {
            Action = action,
            Canary = canary,
            Credential = new PullCredential(DeployRig.User, DeployRig.Password),
            PlainHttpRegistry = true,
            Actor = "test",
            Trigger = "Pipeline.Deploy.Tests",
        };

    public async Task<DeployRelease> ReleaseAsync(string tag)
    {
        using var client = new RegistryClient(
            _rig.Registry.Host,
            new StaticCredentials(DeployRig.User, DeployRig.Password, "test registry login"),
            new RegistryClientOptions { MaxRetries = 1 }
        );
        return await ReleaseResolver.ResolveAsync(
            client.Repository(DeployRig.Repository),
            tag,
            "c0ffee" + tag,
            tag,
            CancellationToken.None
        );
    }

    public Task<DeployResult> DeployAsync(string tag, bool canary = true) => DeployTagAsync(tag, Options(canary));

    private async Task<DeployResult> DeployTagAsync(string tag, DeployOptions options) =>
        await Deployer.DeployAsync(await ReleaseAsync(tag), options, CancellationToken.None);

    /// <summary>What the switch serves right now (the sample's index page holds its version).</summary>
    public async Task<string> ServedAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        return (await _http.GetStringAsync(Frontend, timeout.Token)).Trim();
    }

    public Task<IReadOnlyList<ServiceContainer>> ContainersAsync() =>
        Host.ListAsync(Service, Environment.Name, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        foreach (var container in await ContainersAsync())
            await Host.RemoveAsync(container.Id, CancellationToken.None);
        await Host.RemoveMarkerAsync(
            Pipeline.Deploy.Locking.DeployLock.MarkerName(Environment.Name),
            CancellationToken.None
        );
        await Host.DisposeAsync();
        await Haproxy.StopAsync();
        _http.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
