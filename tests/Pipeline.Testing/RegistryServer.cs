using Pipeline.Processes;
using Pipeline.Registry.Local;

namespace Pipeline.Testing;

/// <summary>
/// A real registry (Debian's <c>docker-registry</c>, the CNCF distribution server) on a free loopback port, with its
/// data in a temp folder. Open, with htpasswd basic auth, or with token auth against a <see
/// cref="RegistryTokenServer"/>.
/// <code>await using var registry = await RegistryServer.StartAsync(basicAuth: ("user", "pass"));
/// // registry.Host == "127.0.0.1:41234"</code>
/// Stop it to simulate an outage and <see cref="StartAgainAsync"/> to bring it back with the same data and port.
/// </summary>
public sealed class RegistryServer : IAsyncDisposable
{
    private readonly string _configPath;
    private readonly bool _ownsDirectory;
    private RegistryServerProcess? _process;

    private RegistryServer(string directory, int port, string configPath, bool ownsDirectory)
    {
        Directory = directory;
        Port = port;
        _configPath = configPath;
        _ownsDirectory = ownsDirectory;
    }

    public int Port { get; }

    /// <summary><c>127.0.0.1:port</c>: what goes before the repository in a reference.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public string Directory { get; }

    public string StorageDirectory => Path.Combine(Directory, "data");

    public string LogFile => Path.Combine(Directory, "registry.log");

    public bool IsRunning => _process is { IsRunning: true };

    public static async Task<RegistryServer> StartAsync(
        (string User, string Password)? basicAuth = null,
        RegistryTokenServer? tokenAuth = null,
        int? port = null,
        string? directory = null
    )
    {
        _ = Executable();
        var ownsDirectory = directory is null;
        directory ??= Path.Combine(Path.GetTempPath(), "pipeline-registry-" + Guid.NewGuid().ToString("N")[..10]);
        var chosenPort = port ?? FreePort.Next();
        var config = new RegistryServerConfig(
            $"127.0.0.1:{chosenPort}",
            Path.Combine(directory, "data"),
            HttpSecret: "pipeline-test-secret"
        );
        if (basicAuth is { } auth)
        {
            var htpasswd =
                ToolLocator.Find("htpasswd")
                ?? throw new InvalidOperationException("htpasswd is not installed (apt-get install apache2-utils)");
            var file = Path.Combine(directory, "htpasswd");
            System.IO.Directory.CreateDirectory(directory);
            var line = (
                await ProcessRunner.RunAsync(
                    new ProcessRequest(htpasswd, ["-Bbn", auth.User, auth.Password])
                    {
                        Timeout = TimeSpan.FromSeconds(30),
                    }
                )
            )
                .EnsureSuccess()
                .StandardOutput;
            await File.WriteAllTextAsync(file, line.Trim() + "\n");
            config = config.WithHtpasswd("pipeline-test", file);
        }
        else if (tokenAuth is not null)
        {
            var bundle = Path.Combine(directory, "token-ca.pem");
            System.IO.Directory.CreateDirectory(directory);
            await File.WriteAllTextAsync(bundle, tokenAuth.CertificatePem);
            config = config.WithTokenAuth(tokenAuth.Realm, tokenAuth.Service, tokenAuth.Issuer, bundle);
        }

        var server = new RegistryServer(directory, chosenPort, await config.WriteAsync(directory), ownsDirectory);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Kills the server (an outage); data and port are kept.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
            return;
        await _process.DisposeAsync();
        _process = null;
    }

    /// <summary>Starts the server on the same port and data (after <see cref="StopAsync"/>).</summary>
    public async Task StartAgainAsync() =>
        _process = await RegistryServerProcess.StartAsync(
            Executable(),
            _configPath,
            Host,
            LogFile,
            TimeSpan.FromSeconds(15)
        );

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_ownsDirectory)
        {
            TempFolder.DeleteQuietly(Directory);
        }
    }

    private static string Executable() =>
        ToolLocator.Find("docker-registry")
        ?? throw new InvalidOperationException("docker-registry is not installed (apt-get install docker-registry)");
}
