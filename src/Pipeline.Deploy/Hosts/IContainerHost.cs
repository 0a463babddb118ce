namespace Pipeline.Deploy.Hosts;

/// <summary>
/// The container operations a deploy needs on one host, nothing more: pull by digest, create/start/stop/remove,
/// inspect, list this service's containers, read a container's last log lines.
/// </summary>
public interface IContainerHost : IAsyncDisposable
{
    /// <summary>For messages: "Podman 4.3.1 at unix:///run/podman/podman.sock".</summary>
    string Description { get; }

    /// <summary>The host engine's platform, <c>os/arch</c> (<c>linux/amd64</c>); null when it does not say. Asked only
    /// when an index must be narrowed to one image: the engine may take seconds to say.</summary>
    Task<string?> PlatformAsync(CancellationToken ct) => Task.FromResult<string?>(null);

    /// <param name="plainHttp">The registry speaks plain HTTP (loopback or configured as insecure).</param>
    Task PullAsync(string imageByDigest, PullCredential? credential, bool plainHttp, CancellationToken ct);

    /// <summary>Creates and starts a container; returns its id.</summary>
    Task<string> RunAsync(ContainerSpec spec, CancellationToken ct);

    Task StartAsync(string id, CancellationToken ct);

    Task StopAsync(string id, TimeSpan grace, CancellationToken ct);

    Task RemoveAsync(string id, CancellationToken ct);

    /// <summary>Running or not, and the exit code when it stopped; null when the container is gone.</summary>
    Task<ContainerState?> InspectAsync(string id, CancellationToken ct);

    /// <summary>Every container (running or stopped) labelled for this service and environment, newest deploy
    /// first.</summary>
    Task<IReadOnlyList<ServiceContainer>> ListAsync(string service, string environment, CancellationToken ct);

    Task<IReadOnlyList<string>> LogTailAsync(string id, int lines, CancellationToken ct);

    /// <summary>
    /// Creates a named marker carrying <paramref name="labels"/> on the host if none of that name exists, atomically:
    /// true when this call created it, false when one was there. The deploy lock (<see cref="Locking.DeployLock"/>).
    /// </summary>
    Task<bool> TryCreateMarkerAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken ct);

    /// <summary>The labels of the named marker; null when there is none.</summary>
    Task<IReadOnlyDictionary<string, string>?> ReadMarkerAsync(string name, CancellationToken ct);

    Task RemoveMarkerAsync(string name, CancellationToken ct);
}
