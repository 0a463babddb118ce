using Microsoft.Extensions.Logging;
using Pipeline.Processes;

namespace Pipeline.Containers.ContainerEngines;

/// <summary>
/// A <c>podman system service --time=0</c> on a private socket, started when no engine socket answers
/// and stopped (with its folder removed) when the build is done.
/// </summary>
public sealed class PodmanServiceProcess : IAsyncDisposable
{
    private readonly BackgroundProcess _process;
    private readonly string _directory;
    private readonly ILogger _logger;

    private PodmanServiceProcess(BackgroundProcess process, string directory, Uri endpoint, ILogger logger)
    {
        _process = process;
        _directory = directory;
        Endpoint = endpoint;
        _logger = logger;
    }

    public Uri Endpoint { get; }

    /// <param name="environment">Extra variables for the service, e.g. <c>CONTAINERS_CONF</c> pointing at a private
    /// containers.conf.</param>
    public static async Task<PodmanServiceProcess> StartAsync(
        string podmanExecutable,
        ILogger logger,
        IReadOnlyList<string>? globalArguments = null,
        CancellationToken ct = default,
        IReadOnlyDictionary<string, string>? environment = null
    )
    {
        var directory = Directory.CreateTempSubdirectory("pipeline-podman-").FullName;
        var socket = Path.Combine(directory, "podman.sock");
        var endpoint = new Uri("unix://" + socket);
        var request = new ProcessRequest(
            podmanExecutable,
            [.. globalArguments ?? [], "system", "service", "--time=0", endpoint.ToString()]
        )
        {
            Environment = (environment ?? new Dictionary<string, string>()).ToDictionary(
                e => e.Key,
                e => (string?)e.Value
            ),
            OnCommand = command => logger.LogDebug("> {Command}", command),
        };
        var process = ProcessRunner.Start(request);
        var service = new PodmanServiceProcess(process, directory, endpoint, logger);
        try
        {
            await process.WaitUntilReadyAsync(_ => Task.FromResult(File.Exists(socket)), TimeSpan.FromSeconds(20), ct);
        }
        catch (ProcessException e)
        {
            await service.DisposeAsync();
            throw new ContainerException($"'podman system service' did not open {socket}: {e.Message}");
        }

        logger.LogDebug("started podman system service (pid {Pid}) on {Endpoint}", process.ProcessId, endpoint);
        return service;
    }

    public async ValueTask DisposeAsync()
    {
        if (!await _process.StopAsync())
            _logger.LogWarning("podman system service (pid {Pid}) did not stop within 10 s", _process.ProcessId);
        await _process.DisposeAsync();
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
