using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Pipeline.Retention.Tests.Fixtures;

/// <summary>
/// A real CNCF distribution registry (Debian's <c>docker-registry</c>) on a free loopback port, with deletes enabled,
/// in a temporary folder that disposal removes together with the process.
/// </summary>
public sealed class LocalRegistry : IAsyncDisposable
{
    private readonly Process _process;

    private LocalRegistry(string directory, int port, Process process)
    {
        Directory = directory;
        Port = port;
        _process = process;
    }

    public string Directory { get; }

    public int Port { get; }

    public string Host => $"127.0.0.1:{Port}";

    public Uri BaseUri => new($"http://{Host}/");

    public static async Task<LocalRegistry> StartAsync()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("pipeline-retention-registry-").FullName;
        var port = FreePort();
        var config = Path.Combine(directory, "config.yml");
        await File.WriteAllTextAsync(config, $$"""
            version: 0.1
            log: { level: error }
            storage: { filesystem: { rootdirectory: {{directory}}/data }, delete: { enabled: true } }
            http: { addr: 127.0.0.1:{{port}} }
            """);
        var start = new ProcessStartInfo(Tools.Find("docker-registry")!, ["serve", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var registry = new LocalRegistry(directory, port, process);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                if ((await http.GetAsync(registry.BaseUri + "v2/")).StatusCode == HttpStatusCode.OK) return registry;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await registry.DisposeAsync();
                throw new InvalidOperationException($"docker-registry did not start on {registry.Host}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
