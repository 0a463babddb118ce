using System.Text.Json;
using Docker.DotNet;

namespace Pipeline.Containers.ContainerEngines;

/// <summary>
/// A connection to one Docker-API-compatible engine (Docker or Podman): the Docker.DotNet client for the
/// compatible API, plain HTTP for the few endpoints it does not model, and what kind of engine answered.
/// Owns the private <c>podman system service</c> when discovery had to start one.
/// </summary>
public sealed class ContainerEngine : IAsyncDisposable
{
    private readonly IAsyncDisposable? _ownedService;
    private IDisposable? _certificates;
    private Task<string?>? _platform;

    private ContainerEngine(
        Uri endpoint,
        ContainerEngineKind kind,
        string version,
        string apiVersion,
        string foundVia,
        DockerClient client,
        ContainerEngineHttp http,
        IAsyncDisposable? ownedService
    )
    {
        Endpoint = endpoint;
        Kind = kind;
        Version = version;
        ApiVersion = apiVersion;
        FoundVia = foundVia;
        Client = client;
        Http = http;
        _ownedService = ownedService;
    }

    public Uri Endpoint { get; }

    public ContainerEngineKind Kind { get; }

    /// <summary>The product version, e.g. <c>4.3.1</c> for Podman or <c>27.3.1</c> for Docker.</summary>
    public string Version { get; }

    /// <summary>The Docker API version both sides speak (the engine's own, e.g. <c>1.41</c>).</summary>
    public string ApiVersion { get; }

    /// <summary>How discovery found it ("DOCKER_HOST", "Podman rootful socket", "private podman service",
    /// ...).</summary>
    public string FoundVia { get; }

    /// <summary>The engine's own platform, <c>os/arch</c> from <c>/version</c> (<c>linux/amd64</c>); null when it did
    /// not say. Asked once, on first use: Podman's <c>/version</c> takes seconds (it queries the package manager), and
    /// only multi-platform builds and deploys of an index need it.</summary>
    public Task<string?> PlatformAsync(CancellationToken ct = default) =>
        (_platform ??= ReadPlatformAsync()).WaitAsync(ct);

    public DockerClient Client { get; }

    public ContainerEngineHttp Http { get; }

    public override string ToString() => $"{Kind} {Version} at {Endpoint} ({FoundVia})";

    /// <summary>
    /// How long the first <c>/version</c> may take. A socket on this machine gets 30 s: a socket-activated or busy
    /// local service answers late but does answer, and a socket nobody listens on is refused at once anyway. A remote
    /// engine gets 5 s, so a dead host is reported quickly.
    /// </summary>
    internal static TimeSpan ProbeTimeoutFor(Uri endpoint) =>
        endpoint.Scheme == "unix" ? TimeSpan.FromSeconds(30) : TimeSpan.FromSeconds(5);

    /// <summary>
    /// Connects to the engine at <paramref name="endpoint"/>: asks <c>/version</c>, detects Podman from its components,
    /// and pins the API version. With <paramref name="tls"/>, a <c>tcp://</c> endpoint is spoken to over HTTPS with
    /// that client certificate, and its certificate must chain to that CA.
    /// </summary>
    public static async Task<ContainerEngine> ConnectAsync(
        Uri endpoint,
        string foundVia,
        TimeSpan? probeTimeout = null,
        IAsyncDisposable? ownedService = null,
        CancellationToken ct = default,
        ContainerEngineTlsFiles? tls = null
    )
    {
        if (tls is not null && endpoint.Scheme != "tcp")
            throw new ContainerException($"engine endpoint '{endpoint}': TLS files apply to tcp:// endpoints only");
        var certificates = tls?.Load(); // owned by the engine: both clients present it on every new connection
        var http = new ContainerEngineHttp(endpoint, null, certificates);
        try
        {
            using var probe = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var deadline = probeTimeout ?? ProbeTimeoutFor(endpoint);
            probe.CancelAfter(deadline);
            EnginePing ping;
            try
            {
                ping = await http.PingAsync(probe.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new ContainerException(
                    $"engine at {endpoint} did not answer /_ping within {deadline.TotalSeconds:0} s"
                );
            }

            var apiVersion = ping.ApiVersion ?? "1.41";
            var productVersion = ping.ProductVersion ?? "?";
            var kind = ping.IsPodman ? ContainerEngineKind.Podman : ContainerEngineKind.Docker;
            if (!System.Version.TryParse(apiVersion, out var parsedApi))
            {
                throw new ContainerException($"engine at {endpoint} reported an unreadable API version '{apiVersion}'");
            }

            var builder = new DockerClientBuilder()
                .WithEndpoint(endpoint)
                .WithApiVersion(parsedApi)
                .WithTimeout(TimeSpan.FromHours(1));
            if (certificates is not null)
                builder = builder.WithAuthProvider(certificates.Credentials());
            var client = builder.Build();
            return new ContainerEngine(endpoint, kind, productVersion, apiVersion, foundVia, client, http, ownedService)
            {
                _certificates = certificates,
            };
        }
        catch
        {
            http.Dispose();
            certificates?.Dispose();
            throw;
        }
    }

    private async Task<string?> ReadPlatformAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            using var version = await Http.GetJsonAsync("version", deadline.Token);
            var root = version.RootElement;
            var os = root.TryGetProperty("Os", out var o) ? o.GetString() : null;
            var arch = root.TryGetProperty("Arch", out var a) ? a.GetString() : null;
            return string.IsNullOrEmpty(os) || string.IsNullOrEmpty(arch) ? null : $"{os}/{arch}";
        }
        catch (Exception e)
            when (e
                    is OperationCanceledException
                        or HttpRequestException
                        or IOException
                        or JsonException
                        or ContainerException
            )
        {
            return null; // callers treat an unknown platform as "the engine picks"
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Http.Dispose();
        _certificates?.Dispose();
        if (_ownedService is not null)
            await _ownedService.DisposeAsync();
    }
}
