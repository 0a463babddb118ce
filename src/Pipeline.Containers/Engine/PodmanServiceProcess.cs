using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Pipeline.Containers.Engine;

/// <summary>
/// A <c>podman system service --time=0</c> on a private socket, started when no engine socket answers
/// and stopped (with its folder removed) when the build is done.
/// </summary>
public sealed class PodmanServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly ILogger _logger;

    private PodmanServiceProcess(Process process, string directory, Uri endpoint, ILogger logger)
    {
        _process = process;
        _directory = directory;
        Endpoint = endpoint;
        _logger = logger;
    }

    public Uri Endpoint { get; }

    /// <param name="environment">Extra variables for the service, e.g. <c>CONTAINERS_CONF</c> pointing at a private containers.conf.</param>
    public static async Task<PodmanServiceProcess> StartAsync(string podmanExecutable, ILogger logger, IReadOnlyList<string>? globalArguments = null, CancellationToken ct = default, IReadOnlyDictionary<string, string>? environment = null)
    {
        var directory = Directory.CreateTempSubdirectory("pipeline-podman-").FullName;
        var socket = Path.Combine(directory, "podman.sock");
        var endpoint = new Uri("unix://" + socket);
        var start = new ProcessStartInfo(podmanExecutable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in globalArguments ?? []) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        foreach (var argument in new[] { "system", "service", "--time=0", endpoint.ToString() }) start.ArgumentList.Add(argument);

        var process = Process.Start(start) ?? throw new ContainerException($"could not start '{podmanExecutable} system service'");
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        var service = new PodmanServiceProcess(process, directory, endpoint, logger);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!File.Exists(socket))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                string detail;
                lock (stderr) detail = EngineMessages.OneLine(stderr.ToString());
                await service.DisposeAsync();
                throw new ContainerException($"'podman system service' did not open {socket}: {(detail.Length > 0 ? detail : "no output")}");
            }

            await Task.Delay(50, ct);
        }

        logger.LogDebug("started podman system service (pid {Pid}) on {Endpoint}", process.Id, endpoint);
        return service;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            _logger.LogWarning("podman system service (pid {Pid}) did not stop cleanly: {Message}", _process.Id, e.Message);
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // The socket may linger for a moment; the folder is in the temp area either way.
            }
        }
    }
}
