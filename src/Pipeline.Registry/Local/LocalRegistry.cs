using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Processes;

namespace Pipeline.Registry.Local;

/// <summary>
/// The configured local registry, started on demand: when nothing answers on its loopback address, runs Debian's
/// <c>docker-registry</c> (the CNCF distribution server) with its storage under <paramref name="dataDirectory"/>
/// so images survive between builds. Disposing stops it only if this process started it.
/// </summary>
public sealed class LocalRegistry : IAsyncDisposable
{
    private readonly RegistryServerProcess? _server;

    private LocalRegistry(string host, RegistryServerProcess? server)
    {
        Host = host;
        _server = server;
    }

    public string Host { get; }

    /// <summary>True when this process started the server (and will stop it).</summary>
    public bool Started => _server is not null;

    public static async Task<LocalRegistry> EnsureRunningAsync(
        string host,
        int port,
        string dataDirectory,
        ILogger? logger = null,
        string executable = "docker-registry",
        CancellationToken ct = default
    )
    {
        logger ??= NullLogger.Instance;
        var address = $"{host}:{port}";
        if (await RegistryServerProcess.AnswersAsync(address, ct))
            return new LocalRegistry(address, null);
        if (await ListensAsync(host, port, ct))
        {
            // Something holds the port: a registry on a busy machine answers late, and a second server could only fail
            // to bind. Give it longer, then name the port instead of starting anything.
            if (await RegistryServerProcess.AnswersAsync(address, BusyAnswerTimeout, ct))
                return new LocalRegistry(address, null);
            throw new RegistryUnavailableException(
                $"local registry {address}: something listens there but does "
                    + $"not answer GET /v2/ within {BusyAnswerTimeout.TotalSeconds:0} "
                    + $"s (another program on that port? set LOCAL_REGISTRY_PORT)"
            );
        }

        if (host is not ("127.0.0.1" or "localhost"))
            throw new RegistryUnavailableException(
                $"local registry {address} is not running and is not on loopback, so it cannot be started here"
            );

        var path =
            ToolLocator.Find(executable)
            ?? throw new RegistryUnavailableException(
                $"local registry {address} is not running and {executable} "
                    + $"is not installed (apt-get install docker-registry)"
            );
        var config = await new RegistryServerConfig(address, Path.Combine(dataDirectory, "storage")).WriteAsync(
            dataDirectory,
            ct
        );
        var server = await RegistryServerProcess.StartAsync(
            path,
            config,
            address,
            Path.Combine(dataDirectory, "registry.log"),
            TimeSpan.FromSeconds(15),
            ct
        );
        logger.LogInformation(
            "started a local registry on {Address} (data in {Data}) for this build",
            address,
            dataDirectory
        );
        return new LocalRegistry(address, server);
    }

    private static readonly TimeSpan BusyAnswerTimeout = TimeSpan.FromSeconds(15);

    /// <summary>True when a TCP connection to the port is accepted within two seconds.</summary>
    private static async Task<bool> ListensAsync(string host, int port, CancellationToken ct)
    {
        using var client = new System.Net.Sockets.TcpClient();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await client.ConnectAsync(host, port, deadline.Token);
            return true;
        }
        catch (Exception e)
            when (e is System.Net.Sockets.SocketException
                || (e is OperationCanceledException && !ct.IsCancellationRequested)
            )
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }
}
