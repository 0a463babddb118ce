using Microsoft.Extensions.Logging;
using Pipeline.Processes;

namespace Pipeline.Containers.ContainerEngines;

/// <summary>
/// Finds an engine the way users expect: <c>DOCKER_HOST</c> (or Podman's <c>CONTAINER_HOST</c>) when set,
/// else Podman's rootless then rootful socket, else Docker's socket, else a private <c>podman system service</c>
/// when the <c>podman</c> CLI exists. Fails with one line listing everything that was tried.
/// </summary>
public sealed class ContainerEngineDiscovery
{
    private readonly ILogger _logger;
    private readonly Func<string, string?> _environment;
    private readonly IReadOnlyList<(string Label, Uri Endpoint)>? _wellKnownSockets;
    private readonly string? _podmanExecutable;
    private readonly bool _podmanLookup;

    /// <param name="environment">Environment lookup (tests pass their own).</param>
    /// <param name="wellKnownSockets">Overrides the Podman/Docker default sockets (tests point them at
    /// nothing).</param>
    /// <param name="podmanExecutable">Overrides the PATH lookup of <c>podman</c>; pass <see cref="NoPodman"/> to
    /// disable the fallback.</param>
    public ContainerEngineDiscovery(
        ILogger logger,
        Func<string, string?>? environment = null,
        IReadOnlyList<(string Label, Uri Endpoint)>? wellKnownSockets = null,
        string? podmanExecutable = null
    )
    {
        _logger = logger;
        _environment = environment ?? Environment.GetEnvironmentVariable;
        _wellKnownSockets = wellKnownSockets;
        _podmanLookup = podmanExecutable is null;
        _podmanExecutable = podmanExecutable == NoPodman ? null : podmanExecutable;
    }

    /// <summary>Pass as <c>podmanExecutable</c> to turn off the private-service fallback.</summary>
    public const string NoPodman = "";

    public async Task<ContainerEngine> ConnectAsync(CancellationToken ct = default)
    {
        var tried = new List<string>();

        foreach (var variable in new[] { "DOCKER_HOST", "CONTAINER_HOST" })
        {
            var value = _environment(variable);
            if (string.IsNullOrWhiteSpace(value))
                continue;

            // An explicit host is a decision: never silently build somewhere else when it does not answer.
            if (
                !Uri.TryCreate(value.Trim(), UriKind.Absolute, out var explicitEndpoint)
                || explicitEndpoint.Scheme is not ("unix" or "tcp" or "http")
            )
            {
                throw new ContainerException(
                    $"{variable}='{value}' is not an engine address (expected unix:///path/to.sock or tcp://host:port)"
                );
            }

            var engine = await TryConnectAsync(explicitEndpoint, variable, tried, ct);
            return engine
                ?? throw new ContainerException(
                    $"{variable} is set to {explicitEndpoint} but no engine answered there ({tried[^1]}); start the "
                        + $"engine or unset {variable}"
                );
        }

        foreach (var (label, endpoint) in _wellKnownSockets ?? DefaultSockets())
        {
            var engine = await TryConnectAsync(endpoint, label, tried, ct);
            if (engine is not null)
                return engine;
        }

        var podman = _podmanLookup ? ToolLocator.Find("podman") : _podmanExecutable;
        if (!string.IsNullOrEmpty(podman))
        {
            _logger.LogInformation(
                "No engine socket answered; starting a private podman system service for this build"
            );
            var service = await PodmanServiceProcess.StartAsync(podman, _logger, ct: ct);
            try
            {
                return await ContainerEngine.ConnectAsync(
                    service.Endpoint,
                    "private podman service",
                    ownedService: service,
                    ct: ct
                ); // a local socket: 30 s
            }
            catch
            {
                await service.DisposeAsync();
                throw;
            }
        }

        tried.Add("podman CLI: not on PATH");
        throw new ContainerException(
            $"no container engine found; tried {string.Join("; ", tried)}. Start Docker or Podman, or set DOCKER_HOST"
        );
    }

    private async Task<ContainerEngine?> TryConnectAsync(
        Uri endpoint,
        string label,
        List<string> tried,
        CancellationToken ct
    )
    {
        if (endpoint.Scheme == "unix" && !File.Exists(endpoint.LocalPath))
        {
            tried.Add($"{label} {endpoint}: no socket");
            return null;
        }

        try
        {
            var engine = await ContainerEngine.ConnectAsync(endpoint, label, ct: ct);
            _logger.LogDebug("using {Engine}", engine);
            return engine;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var reason =
                e is OperationCanceledException
                    ? $"no answer within {ContainerEngine.ProbeTimeoutFor(endpoint).TotalSeconds:0} s"
                    : ContainerEngineMessages.OneLine(e.InnerException?.Message ?? e.Message);
            tried.Add($"{label} {endpoint}: {reason}");
            return null;
        }
    }

    private IEnumerable<(string, Uri)> DefaultSockets()
    {
        var runtimeDir = _environment("XDG_RUNTIME_DIR");
        if (string.IsNullOrEmpty(runtimeDir) && !OperatingSystem.IsWindows())
        {
            runtimeDir = $"/run/user/{GetUid()}";
        }

        if (!string.IsNullOrEmpty(runtimeDir))
            yield return ("Podman rootless socket", new Uri($"unix://{runtimeDir}/podman/podman.sock"));
        yield return ("Podman rootful socket", new Uri("unix:///run/podman/podman.sock"));
        yield return ("Docker socket", new Uri("unix:///var/run/docker.sock"));
    }

    private static string GetUid()
    {
        try
        {
            // /proc/self/status carries "Uid: real effective ..." without a P/Invoke.
            var line = File.ReadLines("/proc/self/status")
                .FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            return line?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[1] ?? "0";
        }
        catch (IOException)
        {
            return "0";
        }
    }
}
