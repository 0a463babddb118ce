using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Pipeline.Registry.Local;

/// <summary>
/// The configured local registry, started on demand: when nothing answers on its loopback address, runs Debian's
/// <c>docker-registry</c> (the CNCF distribution server) with its storage under <paramref name="dataDirectory"/>
/// so images survive between builds. Disposing stops it only if this process started it.
/// </summary>
public sealed class LocalRegistry : IAsyncDisposable
{
    private readonly Process? _process;

    private LocalRegistry(string host, Process? process)
    {
        Host = host;
        _process = process;
    }

    public string Host { get; }

    /// <summary>True when this process started the server (and will stop it).</summary>
    public bool Started => _process is not null;

    public static async Task<LocalRegistry> EnsureRunningAsync(
        string host, int port, string dataDirectory, ILogger? logger = null, string executable = "docker-registry", CancellationToken ct = default)
    {
        logger ??= NullLogger.Instance;
        var address = $"{host}:{port}";
        if (await AnswersAsync(address, ct)) return new LocalRegistry(address, null);
        if (host is not ("127.0.0.1" or "localhost"))
            throw new RegistryUnavailableException($"local registry {address} is not running and is not on loopback, so it cannot be started here");

        var path = Locate(executable) ?? throw new RegistryUnavailableException(
            $"local registry {address} is not running and {executable} is not installed (apt-get install docker-registry)");
        Directory.CreateDirectory(dataDirectory);
        var config = Path.Combine(dataDirectory, "config.yml");
        await File.WriteAllTextAsync(config, $$"""
            version: 0.1
            log: { level: warn, accesslog: { disabled: true } }
            storage: { filesystem: { rootdirectory: {{Path.Combine(dataDirectory, "storage")}} }, delete: { enabled: true } }
            http: { addr: {{address}} }
            """, ct);

        var start = new ProcessStartInfo(path) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        RegistryServerEnvironment.RemoveOverrides(start);
        var process = Process.Start(start) ?? throw new RegistryUnavailableException($"{executable} did not start");
        var log = new StreamWriter(Path.Combine(dataDirectory, "registry.log"), append: true) { AutoFlush = true };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new RegistryUnavailableException($"{executable} exited with code {process.ExitCode} (port {port} taken?); see {Path.Combine(dataDirectory, "registry.log")}");
            if (await AnswersAsync(address, ct))
            {
                logger.LogInformation("started a local registry on {Address} (data in {Data}) for this build", address, dataDirectory);
                return new LocalRegistry(address, process);
            }

            await Task.Delay(50, ct);
        }

        process.Kill(entireProcessTree: true);
        throw new RegistryUnavailableException($"the local registry on {address} did not answer within 15 s; see {Path.Combine(dataDirectory, "registry.log")}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is null) return;
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        _process.Dispose();
    }

    private static async Task<bool> AnswersAsync(string address, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        try
        {
            using var response = await http.GetAsync($"http://{address}/v2/", ct);
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static string? Locate(string executable)
    {
        if (Path.IsPathRooted(executable)) return File.Exists(executable) ? executable : null;
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, executable))
            .FirstOrDefault(File.Exists);
    }
}
