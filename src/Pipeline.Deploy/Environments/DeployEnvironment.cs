using Pipeline.Containers.ContainerEngines;

namespace Pipeline.Deploy.Environments;

/// <summary>
/// One environment from <c>deploy/config.env</c> (keys <c>DEPLOY_&lt;NAME&gt;_*</c>), already validated: where
/// containers run, how traffic reaches them, how health is judged and how long a canary is watched.
/// </summary>
public sealed record DeployEnvironment
{
    /// <summary>Lowercase name: staging, production, local.</summary>
    public required string Name { get; init; }

    /// <summary>The Docker-compatible API: <c>unix:///run/podman/podman.sock</c>, <c>tcp://127.0.0.1:2375</c> (a
    /// forwarded socket), or <see cref="PrivatePodman"/>.</summary>
    public required string Host { get; init; }

    /// <summary>Client certificate, key and CA for a <c>tcp://</c> host served over TLS (<c>CERT_PATH</c>, laid out as
    /// Docker's DOCKER_CERT_PATH); null for plain TCP or a socket.</summary>
    public ContainerEngineTlsFiles? Tls { get; init; }

    /// <summary>The registry the environment pulls from, by the push targets' destination name (gar, ghcr,
    /// local).</summary>
    public required string Registry { get; init; }

    /// <summary>HAProxy's runtime API socket (a unix socket path), or null when the build runs its own HAProxy (<see
    /// cref="Listen"/>).</summary>
    public string? SwitchSocket { get; init; }

    /// <summary>For a build-run HAProxy: the address it serves the service on, e.g. 127.0.0.1:8480.</summary>
    public (string Address, int Port)? Listen { get; init; }

    /// <summary>The HAProxy backend holding the two slot servers <c>a</c> and <c>b</c>.</summary>
    public string Backend { get; init; } = DeployEnvironmentKeys.Backend.Default!;

    /// <summary>Host ports of slot a and slot b: green always takes the slot blue is not in.</summary>
    public required int[] SlotPorts { get; init; }

    /// <summary>The address HAProxy and the health probe reach published ports at (the container host's, as seen from
    /// here).</summary>
    public string UpstreamAddress { get; init; } = DeployEnvironmentKeys.Upstream.Default!;

    /// <summary>The port the service listens on inside its container.</summary>
    public int ContainerPort { get; init; } = DefaultContainerPort;

    /// <summary>SERVICE_PORT's default: where a service listens in its container unless it says otherwise.</summary>
    public const int DefaultContainerPort = 8080;

    public string HealthPath { get; init; } = DeployEnvironmentKeys.HealthPath.Default!;

    public TimeSpan HealthTimeout { get; init; } = DeployEnvironmentKeys.HealthTimeout.Default;

    /// <summary>Percent of traffic green gets while on probation; 0 switches at once.</summary>
    public int CanaryWeight { get; init; }

    public TimeSpan CanaryWindow { get; init; } = DeployEnvironmentKeys.CanaryWindow.Default;

    /// <summary>Percent of green's responses during the window that may fail (5xx, connection or response errors)
    /// before it is rolled back.</summary>
    public double CanaryMaxErrorPercent { get; init; } = DeployEnvironmentKeys.CanaryMaxErrors.Default;

    /// <summary>Stopped previous releases kept for instant rollback.</summary>
    public int Keep { get; init; } = DeployEnvironmentKeys.Keep.Default;

    /// <summary>
    /// In a many-service repository, the slots, backend and listen address of every service that deploys here (has an
    /// entry in PORTS); empty for a one-image repository.
    /// A build-run HAProxy serves all of them; <see cref="ForService"/> gives the environment as one service's rollout
    /// sees it.
    /// </summary>
    public IReadOnlyList<ServiceRoute> Services { get; init; } = [];

    /// <summary>This environment for one service: its slot ports, backend, listen address, container port and health
    /// path.</summary>
    public DeployEnvironment ForService(string service)
    {
        var route =
            Services.FirstOrDefault(r => r.Service.Name == service)
            ?? throw new DeployException(
                $"service {service} has no entry in "
                    + $"{DeploySettings.Prefix(Name)}{DeploySettings.Ports}, so it cannot "
                    + $"deploy to {Name}; give it two slot ports there ({service}=PORT_A,PORT_B)"
            );
        return this with
        {
            SlotPorts = route.SlotPorts,
            Backend = route.Backend,
            Listen = route.Listen,
            ContainerPort = route.Service.ContainerPort,
            HealthPath = route.HealthPath,
        };
    }

    /// <summary><see cref="Host"/> value that asks for a private <c>podman system service</c> run with the
    /// environment's containers.conf.</summary>
    public const string PrivatePodman = "podman";

    public bool BuildRunsSwitch => SwitchSocket is null;

    public int PortOf(Slot slot) => SlotPorts[(int)slot];
}
