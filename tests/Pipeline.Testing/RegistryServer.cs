using System.Diagnostics;
using System.Text;

namespace Pipeline.Testing;

/// <summary>
/// A real registry (Debian's <c>docker-registry</c>, the CNCF distribution server) on a free loopback port, with its
/// data in a temp folder. Open, with htpasswd basic auth, or with token auth against a <see cref="RegistryTokenServer"/>.
/// <code>await using var registry = await RegistryServer.StartAsync(basicAuth: ("user", "pass"));
/// // registry.Host == "127.0.0.1:41234"</code>
/// Stop it to simulate an outage and <see cref="StartAgainAsync"/> to bring it back with the same data and port.
/// </summary>
public sealed class RegistryServer : IAsyncDisposable
{
    private readonly string _configPath;
    private readonly bool _ownsDirectory;
    private Process? _process;

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

    public bool IsRunning => _process is { HasExited: false };

    public static async Task<RegistryServer> StartAsync(
        (string User, string Password)? basicAuth = null,
        RegistryTokenServer? tokenAuth = null,
        int? port = null,
        string? directory = null)
    {
        var executable = ToolLocator.Find("docker-registry") ?? throw new InvalidOperationException("docker-registry is not installed (apt-get install docker-registry)");
        var ownsDirectory = directory is null;
        directory ??= Path.Combine(Path.GetTempPath(), "pipeline-registry-" + Guid.NewGuid().ToString("N")[..10]);
        System.IO.Directory.CreateDirectory(directory);
        var chosenPort = port ?? FreePort.Next();
        var config = new StringBuilder();
        config.AppendLine("version: 0.1");
        config.AppendLine("log: { level: warn, accesslog: { disabled: true } }");
        config.AppendLine($"storage: {{ filesystem: {{ rootdirectory: {Path.Combine(directory, "data")} }}, delete: {{ enabled: true }} }}");
        config.AppendLine($"http: {{ addr: 127.0.0.1:{chosenPort}, secret: pipeline-test-secret }}");
        if (basicAuth is { } auth)
        {
            var htpasswd = ToolLocator.Find("htpasswd") ?? throw new InvalidOperationException("htpasswd is not installed (apt-get install apache2-utils)");
            var file = Path.Combine(directory, "htpasswd");
            var line = await RunAsync(htpasswd, ["-Bbn", auth.User, auth.Password]);
            await File.WriteAllTextAsync(file, line.Trim() + "\n");
            config.AppendLine($"auth: {{ htpasswd: {{ realm: pipeline-test, path: {file} }} }}");
        }
        else if (tokenAuth is not null)
        {
            var bundle = Path.Combine(directory, "token-ca.pem");
            await File.WriteAllTextAsync(bundle, tokenAuth.CertificatePem);
            config.AppendLine($"auth: {{ token: {{ realm: \"{tokenAuth.Realm}\", service: {tokenAuth.Service}, issuer: {tokenAuth.Issuer}, rootcertbundle: {bundle} }} }}");
        }

        var configPath = Path.Combine(directory, "config.yml");
        await File.WriteAllTextAsync(configPath, config.ToString());
        var server = new RegistryServer(directory, chosenPort, configPath, ownsDirectory);
        await server.LaunchAsync(executable);
        return server;
    }

    /// <summary>Kills the server (an outage); data and port are kept.</summary>
    public async Task StopAsync()
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
        _process = null;
    }

    public Task StartAgainAsync() => LaunchAsync(ToolLocator.Find("docker-registry")!);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_ownsDirectory)
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
                // a file still held open by a dying process: the OS temp cleaner gets it
            }
        }
    }

    private async Task LaunchAsync(string executable)
    {
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(_configPath);
        // docker-registry reads every REGISTRY_* variable as a config override (tests set REGISTRY_AUTH_FILE process-wide)
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("REGISTRY_", StringComparison.OrdinalIgnoreCase)).ToList()) start.Environment.Remove(name);
        _process = Process.Start(start)!;
        var log = new StreamWriter(LogFile, append: true) { AutoFlush = true };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"docker-registry exited with {_process.ExitCode}; see {LogFile}");
            try
            {
                using var response = await http.GetAsync($"http://{Host}/v2/");
                return; // 200, or 401 when auth is on: either way it serves
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50);
            }
            catch (TaskCanceledException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"docker-registry did not answer on {Host} within 15 s; see {LogFile}");
    }

    private static async Task<string> RunAsync(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{Path.GetFileName(file)} failed: {await process.StandardError.ReadToEndAsync()}");
        return output;
    }
}
