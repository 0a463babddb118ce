using Pipeline.Processes;

namespace Pipeline.Registry.Local;

/// <summary>
/// A running <c>docker-registry serve config.yml</c>, its output appended to a log file, ready once <c>/v2/</c> answers
/// (200, or 401 with auth on). Disposing stops it.
/// </summary>
internal sealed class RegistryServerProcess : IAsyncDisposable
{
    private readonly BackgroundProcess _process;
    private readonly StreamWriter _log;

    private RegistryServerProcess(BackgroundProcess process, StreamWriter log)
    {
        _process = process;
        _log = log;
    }

    public bool IsRunning => !_process.HasExited;

    /// <exception cref="RegistryUnavailableException">It exited or did not answer within <paramref name="deadline"/>
    /// (then it is stopped).</exception>
    public static async Task<RegistryServerProcess> StartAsync(
        string executable,
        string configPath,
        string address,
        string logFile,
        TimeSpan deadline,
        CancellationToken cancellationToken = default
    )
    {
        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        var request = new ProcessRequest(executable, ["serve", configPath])
        {
            // docker-registry reads every REGISTRY_* variable as an override of its configuration, so an unrelated one
            // (Podman's REGISTRY_AUTH_FILE, our own REGISTRY_TIMEOUT) makes it refuse to start. config.yml is the whole
            // configuration.
            RemoveEnvironmentPrefixes = ["REGISTRY_"],
            OnOutputLine = line =>
            {
                lock (log)
                    log.WriteLine(line);
            },
        };
        var server = new RegistryServerProcess(ProcessRunner.Start(request), log);
        try
        {
            await server._process.WaitUntilReadyAsync(ct => AnswersAsync(address, ct), deadline, cancellationToken);
            return server;
        }
        catch (Exception e) when (e is ProcessException or OperationCanceledException)
        {
            await server.DisposeAsync();
            if (e is OperationCanceledException)
                throw;
            throw new RegistryUnavailableException(
                $"the registry server on {address} did not start ({e.Message}); see {logFile}"
            );
        }
    }

    /// <summary>True when something answers HTTP on <c>http://address/v2/</c> within a second.</summary>
    public static Task<bool> AnswersAsync(string address, CancellationToken cancellationToken = default) =>
        AnswersAsync(address, TimeSpan.FromSeconds(1), cancellationToken);

    /// <summary>True when something answers HTTP on <c>http://address/v2/</c> within <paramref
    /// name="timeout"/>.</summary>
    public static async Task<bool> AnswersAsync(
        string address,
        TimeSpan timeout,
        CancellationToken cancellationToken = default
    )
    {
        using var http = new HttpClient { Timeout = timeout };
        try
        {
            using var response = await http.GetAsync($"http://{address}/v2/", cancellationToken);
            return true;
        }
        catch (Exception e)
            when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        lock (_log)
            _log.Dispose();
    }
}
