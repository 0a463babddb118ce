using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Registry.Auth;

namespace Pipeline.Registry.Remote;

/// <summary>
/// A client for one registry host (the <c>remote</c> layer): ping, and repositories to read and write.
/// <code>using var ghcr = new RegistryClient("ghcr.io", StaticCredentials.Ghcr(token));
/// var repo = ghcr.Repository("owner/app");</code>
/// </summary>
public sealed class RegistryClient : IDisposable
{
    private readonly ILogger _logger;

    public RegistryClient(
        string registry,
        ICredentialProvider? credentials = null,
        RegistryClientOptions? options = null,
        ILogger? logger = null,
        HttpMessageHandler? handler = null
    )
    {
        if (string.IsNullOrWhiteSpace(registry) || !Reference.IsRegistryHost(registry))
            throw new InvalidReferenceException(
                $"registry '{registry}' must be a host[:port] (port 1–65535) without scheme, credentials or path"
            );
        DigestWarmUp.Start();
        _logger = logger ?? NullLogger.Instance;
        Transport = new RegistryTransport(
            registry,
            credentials ?? AnonymousCredentials.Instance,
            options ?? new RegistryClientOptions(),
            _logger,
            handler
        );
    }

    public string Registry => Transport.Registry;

    public RegistryTransport Transport { get; }

    public TransferStatistics Statistics => Transport.Statistics;

    /// <summary>
    /// Checks the registry answers the distribution API (<c>GET /v2/</c>: 200, or 401 asking for credentials), body and
    /// all (a server that sends headers and then nothing fails within the deadline). An HTML page is not the API: a
    /// captive portal or a misrouted proxy answers 200 too.
    /// </summary>
    public async Task PingAsync(CancellationToken ct = default)
    {
        using var response = await Transport.SendUnauthenticatedAsync(
            () => new HttpRequestMessage(HttpMethod.Get, Transport.Url("v2/")),
            ct
        );
        if (response.IsSuccessStatusCode || response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
        {
            try
            {
                await response.Content.ReadAsByteArrayAsync(ct);
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                throw new RegistryUnavailableException(
                    $"{Registry} is unreachable (GET /v2/: the answer stopped: {e.Message.TrimEnd('.')})",
                    null,
                    e
                );
            }

            if (response.Content.Headers.ContentType?.MediaType is "text/html")
                throw new RegistryException(
                    $"{Registry} does not speak the registry API (GET /v2/ "
                        + $"answered {(int)response.StatusCode} with an HTML page)"
                );
            return;
        }

        await Transport.EnsureSuccessAsync(response, "ping (GET /v2/)", ct);
        throw new RegistryException(
            $"{Registry} does not speak the registry API (GET /v2/ answered {(int)response.StatusCode})"
        );
    }

    public RegistryRepository Repository(string repository)
    {
        Reference.ValidateRepository(repository, $"repository on {Registry}");
        return new RegistryRepository(this, repository, _logger);
    }

    public void Dispose() => Transport.Dispose();
}
