using System.Net;
using System.Net.Http.Headers;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Pipeline.Registry.Auth;
using Pipeline.Registry.IO;
using Polly;
using Polly.Timeout;

namespace Pipeline.Registry.Remote;

/// <summary>
/// HTTP to one registry: base URL, authentication (challenge, token cache) and per-request resilience.
/// Every request is built by a factory so a retry sends a fresh message (and re-opens a body stream).
/// Retried (<see cref="RequestRetry"/>): 429 (after Retry-After), 5xx, connection resets/refusals, timeouts and
/// answers that stop half-way, while the registry's silence stays within <see
/// cref="RegistryClientOptions.UnavailableAfter"/>. Every wait has a deadline (<see cref="DeadlineHandler"/>); the body
/// of a small answer is read inside the attempt, so a stall there is retried like any other.
/// </summary>
public sealed class RegistryTransport : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline<HttpResponseMessage> _metadata;
    private readonly ResiliencePipeline<HttpResponseMessage> _transfer;
    private readonly ResiliencePipeline<HttpResponseMessage> _metadataOnce;
    private readonly ResiliencePipeline<HttpResponseMessage> _transferOnce;
    private readonly RegistryClientOptions _once;

    public RegistryTransport(
        string registry,
        ICredentialProvider credentials,
        RegistryClientOptions options,
        ILogger logger,
        HttpMessageHandler? handler = null
    )
    {
        Registry = registry;
        Options = options;
        _logger = logger;
        _ownsHttp = true;
        // A caller's handler stays the caller's to dispose; the deadline wrapper holds nothing of its own.
        _http = new HttpClient(
            new DeadlineHandler(handler ?? CreateHandler(options), options.MinimumTransferRate),
            disposeHandler: handler is null
        )
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("pipeline-registry/1.0");
        BaseUri = new Uri($"{(UsesPlainHttp(registry, options) ? "http" : "https")}://{registry}/");
        _once = options with { MaxRetries = 0 };
        Silence = new SilenceClock(options.UnavailableAfter);
        _metadata = BuildPipeline(options, options.RequestTimeout);
        _transfer = BuildPipeline(options, options.TransferTimeout);
        _metadataOnce = BuildPipeline(_once, options.RequestTimeout);
        _transferOnce = BuildPipeline(_once, options.TransferTimeout);
        Authenticator = new RegistryAuthenticator(registry, credentials, this, logger);
    }

    public string Registry { get; }

    public Uri BaseUri { get; }

    public RegistryClientOptions Options { get; }

    public TransferStatistics Statistics { get; } = new();

    /// <summary>The registry's silence budget, shared by every request of this client (one client per
    /// operation).</summary>
    internal SilenceClock Silence { get; }

    internal RegistryAuthenticator Authenticator { get; }

    public static bool UsesPlainHttp(string registry, RegistryClientOptions options)
    {
        var host = registry.StartsWith('[') ? registry[..(registry.IndexOf(']') + 1)] : registry.Split(':')[0];
        return host is "localhost" or "[::1]"
            || host.StartsWith("127.", StringComparison.Ordinal)
            || options.PlainHttpRegistries.Contains(registry, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Sends with authentication for <paramref name="scope"/>: answers one 401 challenge, then sends again with the
    /// credential. <paramref name="retry"/> false is for requests that must not be repeated blindly (upload-session
    /// PATCH/PUT): the caller decides how to resume.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(
        Func<HttpRequestMessage> create,
        AccessScope scope,
        CancellationToken ct,
        bool transfer = false,
        bool retry = true
    )
    {
        var response = await SendUnauthenticatedAsync(() => Authorize(create(), scope), ct, transfer, retry);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
            return response;

        using (response)
        {
            if (!await Authenticator.AnswerChallengeAsync(response, scope, ct))
                return await CloneStatusAsync(response);
        }

        return await SendUnauthenticatedAsync(() => Authorize(create(), scope), ct, transfer, retry);
    }

    /// <summary>Sends through the resilience pipeline only (token requests, absolute URLs).</summary>
    internal async Task<HttpResponseMessage> SendUnauthenticatedAsync(
        Func<HttpRequestMessage> create,
        CancellationToken ct,
        bool transfer = false,
        bool retry = true
    )
    {
        var pipeline = retry
            ? transfer
                ? _transfer
                : _metadata
            : transfer
                ? _transferOnce
                : _metadataOnce;
        var state = new Attempt(this, create, transfer);
        try
        {
            return await pipeline.ExecuteAsync(
                retry ? Options : _once,
                Silence,
                state,
                static (a, idle, token) => a.SendAsync(idle, token),
                ct
            );
        }
        catch (Exception e) when (RequestRetry.Find<SourceFailedException>(e) is { } source)
        {
            // The content being uploaded could not be read: that is the source's failure, not this registry's.
            if (source.InnerException is RegistryException)
                ExceptionDispatchInfo.Throw(source.InnerException);
            throw new RegistryException(source.Message, null, null, source.InnerException);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && RequestRetry.IsSilence(e))
        {
            var what = state.Last is null ? Registry : $"{state.Last.Method} {state.Last.RequestUri?.AbsolutePath}";
            var why = e is TimeoutRejectedException ? "timed out" : Describe(e);
            var attempts = retry && state.Count > 1 ? $", after {state.Count} attempts" : "";
            // The budget can end during an attempt that follows 5xx answers: the answers said more than the timeout.
            var answered = state.LastAnswer is { } last ? $"; its last answer was {last} ({StillFailing})" : "";
            throw new RegistryUnavailableException(
                $"{Registry} is unreachable ({what}: {why}{attempts}){answered}",
                null,
                e
            );
        }
    }

    /// <summary>Turns a non-success answer into the right exception; <paramref name="operation"/> says what was being
    /// done.</summary>
    public async Task EnsureSuccessAsync(HttpResponseMessage response, string operation, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
            return;
        var body = await response.Content.ReadAsStringAsync(ct);
        var (code, text) = RegistryErrorBody.Parse(body);
        var status = (int)response.StatusCode;
        var detail = text.Length > 0 ? $": {text}" : "";
        var message = $"{operation} on {Registry}: {status} {response.ReasonPhrase}{detail}";
        throw response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new RegistryAuthException(
                message + Authenticator.DescribeCredential(),
                response.StatusCode,
                code
            ),
            HttpStatusCode.TooManyRequests => new RegistryUnavailableException(
                $"{message} ({Throttled(response)})",
                response.StatusCode
            ),
            >= HttpStatusCode.InternalServerError and not HttpStatusCode.NotImplemented =>
                new RegistryUnavailableException(
                    RetryAfter(response) is { } wait && wait >= Silence.Remaining
                        ? $"{message} ({Throttled(response)})"
                        : $"{message} ({StillFailing})",
                    response.StatusCode
                ),
            _ => new RegistryException(message, response.StatusCode, code),
        };
    }

    public Uri Url(string relative) => new(BaseUri, relative);

    private string StillFailing => $"still failing after retries for up to {Options.UnavailableAfter.TotalSeconds:0} s";

    /// <summary>Why a 429 was not waited out: the wait it asked for, against what was left of the budget.</summary>
    private string Throttled(HttpResponseMessage response) =>
        RetryAfter(response) is { } wait
            ? $"rate limited or overloaded: asked to retry after {wait.TotalSeconds:0} s, "
                + $"more than the {Math.Max(0, Silence.Remaining.TotalSeconds):0} s left of "
                + $"its {Options.UnavailableAfter.TotalSeconds:0} s budget (REGISTRY_TIMEOUT)"
            : $"rate limited for longer than its {Options.UnavailableAfter.TotalSeconds:0} s budget (REGISTRY_TIMEOUT)";

    public void Dispose()
    {
        if (_ownsHttp)
            _http.Dispose();
    }

    private HttpRequestMessage Authorize(HttpRequestMessage request, AccessScope scope)
    {
        request.Headers.Authorization = Authenticator.HeaderFor(scope);
        return request;
    }

    private static async Task<HttpResponseMessage> CloneStatusAsync(HttpResponseMessage response)
    {
        // The original is disposed with its connection; keep status, headers and body for the error message.
        var body = await response.Content.ReadAsByteArrayAsync();
        var copy = new HttpResponseMessage(response.StatusCode)
        {
            ReasonPhrase = response.ReasonPhrase,
            Content = new ByteArrayContent(body),
        };
        foreach (var header in response.Headers)
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        return copy;
    }

    private ResiliencePipeline<HttpResponseMessage> BuildPipeline(RegistryClientOptions options, TimeSpan attemptCap) =>
        RequestRetry.Build<HttpResponseMessage>(
            options,
            attemptCap,
            Classify,
            outcome => RetryAfter(outcome.Result),
            args =>
            {
                Statistics.Retry();
                var why = args.Outcome.Result is { } r
                    ? $"{(int)r.StatusCode} {r.ReasonPhrase}"
                    : Describe(args.Outcome.Exception);
                _logger.LogDebug(
                    "{Registry}: retry {Attempt} in {Delay:F1}s after {Why}",
                    Registry,
                    args.AttemptNumber + 1,
                    args.RetryDelay.TotalSeconds,
                    why
                );
                args.Outcome.Result?.Dispose();
            }
        );

    private AttemptVerdict Classify(Outcome<HttpResponseMessage> outcome)
    {
        if (outcome.Exception is not null)
            return RequestRetry.IsSilence(outcome.Exception) ? AttemptVerdict.Silent : AttemptVerdict.Done;
        var response = outcome.Result!;
        var status = (int)response.StatusCode;
        if (status == 429)
            return RetryAfter(response) is not { } wait || wait <= Options.MaxRetryAfter
                ? AttemptVerdict.Throttled
                : AttemptVerdict.Done;
        return status is 500 or 502 or 503 or 504 || status > 504 && status < 600
            ? AttemptVerdict.Failing
            : AttemptVerdict.Done;
    }

    /// <summary>The delay a 429/503 asks for (seconds or an HTTP date); null lets the backoff decide.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        var header = response?.Headers.RetryAfter;
        if (header is null)
            return null;
        if (header.Delta is { } delta)
            return delta;
        if (header.Date is { } date)
            return date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        return null;
    }

    private static string Describe(Exception? e)
    {
        if (e is null)
            return "unknown error";
        if (RequestRetry.Find<AnswerStalledException>(e) is { } stalled)
            return stalled.Message;
        var socket =
            e.InnerException as System.Net.Sockets.SocketException
            ?? e.InnerException?.InnerException as System.Net.Sockets.SocketException;
        if (socket is not null)
            return socket.SocketErrorCode.ToString();
        return e.Message.ReplaceLineEndings(" ");
    }

    private static SocketsHttpHandler CreateHandler(RegistryClientOptions options) =>
        new()
        {
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = Math.Max(8, options.MaxParallelBlobs * 2),
            // Blob GETs on GHCR/GAR redirect to storage; .NET drops the Authorization header on redirects.
            AllowAutoRedirect = true,
            AutomaticDecompression = DecompressionMethods.None,
        };

    /// <summary>One request's attempts: builds a fresh message each time, with its idle time, and reads small bodies
    /// inside the attempt.</summary>
    private sealed class Attempt(RegistryTransport transport, Func<HttpRequestMessage> create, bool transfer)
    {
        public HttpRequestMessage? Last { get; private set; }

        public int Count { get; private set; }

        /// <summary>The last failing status an attempt got ("503 Service Unavailable"); null when none
        /// answered.</summary>
        public string? LastAnswer { get; private set; }

        public async ValueTask<HttpResponseMessage> SendAsync(TimeSpan idle, CancellationToken ct)
        {
            Last = create();
            Last.Options.Set(DeadlineHandler.IdleTimeout, idle);
            Count++;
            transport.Statistics.Request();
            var response = await transport._http.SendAsync(Last, HttpCompletionOption.ResponseHeadersRead, ct);
            var serving = (int)response.StatusCode is not 429 and < 500;
            if (!serving)
                LastAnswer = $"{(int)response.StatusCode} {response.ReasonPhrase}";
            if (transfer && response.IsSuccessStatusCode)
            {
                // A blob body is streamed by the caller, each read with a deadline; a download counts as an answer once
                // its body flows (ResumingBlobStream), not at its headers: a trickle would otherwise reset the budget.
                if (Last.Method != HttpMethod.Get)
                    transport.Silence.Answered();
                return response;
            }

            try
            {
                await response.Content.LoadIntoBufferAsync(ct);
                if (serving)
                    transport.Silence.Answered(); // the registry is there and serving, body and all
                return response;
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }
    }
}
