using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;

namespace Pipeline.Containers.ContainerEngines;

/// <summary>
/// Plain HTTP to the engine socket, for the few calls Docker.DotNet does not model: the unversioned
/// <c>/version</c> used to negotiate the API version, Podman's libpod build endpoint and Docker's build-cache prune.
/// Hand-written on purpose and kept tiny (SocketsHttpHandler over a Unix socket), in the spirit of
/// go-containerregistry's <c>remote</c>.
/// </summary>
public sealed class ContainerEngineHttp : IDisposable
{
    private readonly HttpClient _client;

    public ContainerEngineHttp(Uri endpoint, TimeSpan? timeout = null)
        : this(endpoint, timeout, null) { }

    internal ContainerEngineHttp(Uri endpoint, TimeSpan? timeout, ContainerEngineTlsFiles.LoadedTls? tls)
    {
        Endpoint = endpoint;
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        Uri baseAddress;
        if (endpoint.Scheme == "unix")
        {
            var socketPath = endpoint.LocalPath;
            handler.ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
            baseAddress = new Uri("http://engine/");
        }
        else if (endpoint.Scheme is "tcp" or "http")
        {
            baseAddress = new UriBuilder(tls is null ? "http" : "https", endpoint.Host, endpoint.Port).Uri;
            if (tls is not null)
            {
                handler.SslOptions.ClientCertificates = [tls.Client];
                handler.SslOptions.RemoteCertificateValidationCallback = tls.Validation();
            }
        }
        else
        {
            throw new ContainerException(
                $"engine endpoint '{endpoint}' has an unsupported scheme '{endpoint.Scheme}' (use unix:// or tcp://)"
            );
        }

        _client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = timeout ?? Timeout.InfiniteTimeSpan };
    }

    public Uri Endpoint { get; }

    public async Task<JsonDocument> GetJsonAsync(string path, CancellationToken ct = default)
    {
        using var response = await _client.GetAsync(path.TrimStart('/'), ct);
        await EnsureSuccessAsync(response, path, ct);
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        return await JsonDocument.ParseAsync(body, cancellationToken: ct);
    }

    /// <summary><c>GET /_ping</c>: the engine answers, and its headers say which engine and API version.</summary>
    internal async Task<EnginePing> PingAsync(CancellationToken ct = default)
    {
        using var response = await _client.GetAsync("_ping", ct);
        await EnsureSuccessAsync(response, "_ping", ct);
        return EnginePing.From(response.Headers);
    }

    public async Task<JsonDocument> PostJsonAsync(string path, CancellationToken ct = default)
    {
        using var response = await _client.PostAsync(path.TrimStart('/'), content: null, ct);
        await EnsureSuccessAsync(response, path, ct);
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        return await JsonDocument.ParseAsync(body, cancellationToken: ct);
    }

    /// <summary>POSTs a tar stream and hands back the response as it arrives (build output is a stream of JSON
    /// objects).</summary>
    public async Task<HttpResponseMessage> PostTarStreamingAsync(
        string path,
        Stream tar,
        CancellationToken ct = default
    )
    {
        var content = new StreamContent(tar);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        using var request = new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/')) { Content = content };
        var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        try
        {
            await EnsureSuccessAsync(response, path, ct);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>POSTs without a body, with extra headers (e.g. <c>X-Registry-Auth</c>), and hands back the streamed
    /// answer.</summary>
    public async Task<HttpResponseMessage> PostStreamingAsync(
        string path,
        IReadOnlyDictionary<string, string>? headers,
        CancellationToken ct = default
    )
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/'));
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            request.Headers.TryAddWithoutValidation(name, value);
        var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        try
        {
            await EnsureSuccessAsync(response, path, ct);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public void Dispose() => _client.Dispose();

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string path, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
            return;
        var body = await response.Content.ReadAsStringAsync(ct);
        throw new ContainerException(
            $"engine at {Endpoint} answered {(int)response.StatusCode} to "
                + $"{path.Split('?')[0]}: {ContainerEngineMessages.FromErrorBody(body)}"
        );
    }
}
