using Microsoft.AspNetCore.Http;

namespace Pipeline.Registry.Tests.Support;

/// <summary>
/// An HTTP proxy in front of a registry that misbehaves on purpose: random 503s, 429s with <c>Retry-After</c>,
/// connections dropped before or after the registry handled the request (the answer is lost), slow answers, and
/// silence (a request never answered, or headers followed by nothing). Aimed faults (<see cref="Rule"/>) add a body cut
/// half-way (the source side of a copy), a body that trickles a byte at a time, a 429 or 503 asking for a long
/// <c>Retry-After</c>, and a freeze in the middle of an upload (the proxy stops reading the body). Faults are drawn
/// from a seeded random source so a failing run can be replayed; <see cref="Rule"/> aims a fault at chosen requests,
/// and <see cref="Log"/> records what happened to each request, in order. Served by the kit's
/// <see cref="LoopbackHttpHost"/> (Kestrel), because <c>HttpContext.Abort()</c> really resets the connection
/// (HttpListener's Abort answers 200 on Linux). The proxy forwards with its own Host header so the registry's Location
/// headers point back through it.
/// </summary>
public sealed class RegistryFaultProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection",
        "Keep-Alive",
        "Transfer-Encoding",
        "Upgrade",
        "Proxy-Connection",
        "TE",
        "Trailer",
        "Host",
        "Content-Length",
        "Expect",
    };

    private LoopbackHttpHost? _host;
    private readonly HttpClient _upstream = new(new SocketsHttpHandler { AllowAutoRedirect = false })
    {
        Timeout = TimeSpan.FromMinutes(2),
    };
    private readonly string _target;
    private readonly Random _random;
    private readonly Lock _randomGate = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _serverErrors;
    private int _throttled;
    private int _dropped;
    private int _slowed;
    private int _forwarded;

    private RegistryFaultProxy(string target, FaultPlan plan, int seed)
    {
        _target = target;
        Plan = plan;
        _random = new Random(seed);
    }

    public int Port => _host!.Port;

    public string Host => $"127.0.0.1:{Port}";

    public FaultPlan Plan { get; set; }

    public int ServerErrors => _serverErrors;

    public int Throttled => _throttled;

    public int Dropped => _dropped;

    public int Slowed => _slowed;

    public int Forwarded => _forwarded;

    public int FaultsInjected => _serverErrors + _throttled + _dropped + _slowed;

    /// <summary>Chooses a fault for a request (method, path and query) before the random plan; null leaves it to the
    /// plan.</summary>
    public Func<string, string, ProxyFault?>? Rule { get; set; }

    /// <summary>The Retry-After (seconds) of an aimed <see cref="ProxyFault.Throttle"/> or <see
    /// cref="ProxyFault.ServerError"/>; null sends none with a 503.</summary>
    public int? RetryAfterSeconds { get; set; }

    /// <summary>The pause between two drops of a <see cref="ProxyFault.SlowDrip"/> body.</summary>
    public TimeSpan DripInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The bytes in one drop of a <see cref="ProxyFault.SlowDrip"/> body.</summary>
    public int DripBytes { get; set; } = 1;

    /// <summary>When the first <see cref="ProxyFault.Freeze"/> stopped reading a body (the moment the registry froze),
    /// if one did.</summary>
    public DateTimeOffset? FrozeAt { get; private set; }

    /// <summary>
    /// A manifest media type the registry does not take: a PUT of such a manifest is answered 415 MANIFEST_INVALID
    /// without forwarding, as registries without OCI index support answer an index. Null forwards every manifest.
    /// </summary>
    public string? RefusedManifestType { get; set; }

    /// <summary>The body <see cref="ProxyFault.Garbage"/> answers with, under the registry's own status and content
    /// type.</summary>
    public string GarbageBody { get; set; } = "<html><body>502 Bad Gateway</body></html>";

    /// <summary>Every request in arrival order: method, path and query, the registry's status (0 if not forwarded), the
    /// fault applied.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<ProxyLogEntry> Log { get; } = new();

    /// <param name="target">The registry's host:port.</param>
    public static async Task<RegistryFaultProxy> StartAsync(string target, FaultPlan plan, int seed = 42)
    {
        var proxy = new RegistryFaultProxy(target, plan, seed);
        proxy._host = await LoopbackHttpHost.StartAsync(proxy.HandleAsync);
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync(); // releases requests held in silence
        if (_host is not null)
            await _host.DisposeAsync();
        _upstream.Dispose();
        _stopping.Dispose();
    }

    private double Roll()
    {
        lock (_randomGate)
            return _random.NextDouble();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var target = $"{context.Request.Path}{context.Request.QueryString}";
        if (
            RefusedManifestType is { } refused
            && context.Request.Method == "PUT"
            && target.Contains("/manifests/", StringComparison.Ordinal)
            && context.Request.ContentType == refused
        )
        {
            Log.Enqueue(new ProxyLogEntry(context.Request.Method, target, 415, null));
            await context.Request.Body.CopyToAsync(Stream.Null);
            context.Response.StatusCode = 415;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(
                """{"errors":[{"code":"MANIFEST_INVALID","message":"manifest """
                    + """invalid","detail":"unsupported manifest media type"}]}"""
            );
            return;
        }

        if (Rule?.Invoke(context.Request.Method, target) is { } fault)
        {
            await ApplyAsync(context, fault, target);
            return;
        }

        // Pings are left alone so the client always learns the auth scheme; the faults hit the real work.
        var plan = context.Request.Path == "/v2/" ? FaultPlan.None : Plan;
        if (Roll() < plan.SlowRate)
        {
            Interlocked.Increment(ref _slowed);
            await Task.Delay(plan.SlowDelay);
        }

        var roll = Roll();
        if (roll < plan.ServerErrorRate)
        {
            Log.Enqueue(new ProxyLogEntry(context.Request.Method, target, 503, ProxyFault.ServerError));
            Interlocked.Increment(ref _serverErrors);
            await context.Request.Body.CopyToAsync(Stream.Null);
            context.Response.StatusCode = 503;
            return;
        }

        roll -= plan.ServerErrorRate;
        if (roll < plan.ThrottleRate)
        {
            Log.Enqueue(new ProxyLogEntry(context.Request.Method, target, 429, null));
            Interlocked.Increment(ref _throttled);
            await context.Request.Body.CopyToAsync(Stream.Null);
            context.Response.StatusCode = 429;
            context.Response.Headers.RetryAfter = plan.RetryAfterSeconds.ToString(
                System.Globalization.CultureInfo.InvariantCulture
            );
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(
                """{"errors":[{"code":"TOOMANYREQUESTS","message":"rate limit: 100 requests per minute"}]}"""
            );
            return;
        }

        roll -= plan.ThrottleRate;
        if (roll < plan.DropBeforeRate)
        {
            Log.Enqueue(new ProxyLogEntry(context.Request.Method, target, 0, ProxyFault.DropBefore));
            Interlocked.Increment(ref _dropped);
            context.Abort(); // the registry never sees it
            return;
        }

        roll -= plan.DropBeforeRate;
        var dropAfter = roll < plan.DropAfterRate;
        using var upstream = await ForwardAsync(context);
        Interlocked.Increment(ref _forwarded);
        Log.Enqueue(
            new ProxyLogEntry(
                context.Request.Method,
                target,
                (int)upstream.StatusCode,
                dropAfter ? ProxyFault.DropAfter : null,
                context.Request.Headers.Range.ToString()
            )
        );
        if (dropAfter)
        {
            Interlocked.Increment(ref _dropped);
            context.Abort(); // the registry did the work, the client never hears
            return;
        }

        await RelayAsync(context, upstream);
    }

    /// <summary>A fault chosen by <see cref="Rule"/>.</summary>
    private async Task ApplyAsync(HttpContext context, ProxyFault fault, string target)
    {
        switch (fault)
        {
            case ProxyFault.ServerError or ProxyFault.Throttle:
                Log.Enqueue(new ProxyLogEntry(context.Request.Method, target, 0, fault));
                if (fault == ProxyFault.Throttle)
                    Interlocked.Increment(ref _throttled);
                else
                    Interlocked.Increment(ref _serverErrors);
                await context.Request.Body.CopyToAsync(Stream.Null);
                context.Response.StatusCode = fault == ProxyFault.Throttle ? 429 : 503;
                if (RetryAfterSeconds is not null || fault == ProxyFault.Throttle)
                    context.Response.Headers.RetryAfter = (RetryAfterSeconds ?? 120).ToString(
                        System.Globalization.CultureInfo.InvariantCulture
                    );
                return;
            case ProxyFault.Freeze:
                // Takes part of the body, then stops reading and answering: a registry frozen in the middle of an
                // upload.
                Log.Enqueue(new ProxyLogEntry(context.Request.Method, target, 0, fault));
                var half = (context.Request.ContentLength ?? 0) / 2;
                var buffer = new byte[64 * 1024];
                long read = 0;
                while (read < half)
                {
                    var n = await context.Request.Body.ReadAsync(
                        buffer.AsMemory(0, (int)Math.Min(buffer.Length, half - read))
                    );
                    if (n == 0)
                        break;
                    read += n;
                }

                lock (_randomGate)
                    FrozeAt ??= DateTimeOffset.UtcNow;
                await HoldAsync(context);
                return;
            case ProxyFault.DropBefore:
                Log.Enqueue(new ProxyLogEntry(context.Request.Method, target, 0, fault));
                Interlocked.Increment(ref _dropped);
                context.Abort();
                return;
            case ProxyFault.Silent:
                // Reads the request, then says nothing at all: no status line, no headers.
                Log.Enqueue(new ProxyLogEntry(context.Request.Method, target, 0, fault));
                await context.Request.Body.CopyToAsync(Stream.Null);
                await HoldAsync(context);
                return;
        }

        using var upstream = await ForwardAsync(context);
        Interlocked.Increment(ref _forwarded);
        Log.Enqueue(new ProxyLogEntry(context.Request.Method, target, (int)upstream.StatusCode, fault));
        if (fault == ProxyFault.DropAfter)
        {
            Interlocked.Increment(ref _dropped);
            context.Abort();
            return;
        }

        CopyHeaders(context, upstream);
        if (fault == ProxyFault.Garbage)
        {
            var garbage = System.Text.Encoding.UTF8.GetBytes(GarbageBody);
            context.Response.ContentLength = garbage.Length;
            await context.Response.Body.WriteAsync(garbage);
            return;
        }

        // The status line and headers, then: half the body and silence (HangAfterHeaders), half and a reset (CutBody),
        // or the whole body a byte at a time (SlowDrip).
        await context.Response.StartAsync();
        var body = await upstream.Content.ReadAsByteArrayAsync();
        if (fault == ProxyFault.SlowDrip)
        {
            await DripAsync(context, body);
            return;
        }

        await context.Response.Body.WriteAsync(body.AsMemory(0, body.Length / 2));
        await context.Response.Body.FlushAsync();
        if (fault == ProxyFault.CutBody)
        {
            Interlocked.Increment(ref _dropped);
            // The half must be read before the reset: a reset drops what the client has not read yet, and then it has
            // nothing to resume from. A loaded machine can take its time reading.
            await Task.Delay(TimeSpan.FromSeconds(1));
            context.Abort();
            return;
        }

        await HoldAsync(context);
    }

    private async Task DripAsync(HttpContext context, byte[] body)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            for (var i = 0; i < body.Length; i += DripBytes)
            {
                await context.Response.Body.WriteAsync(
                    body.AsMemory(i, Math.Min(DripBytes, body.Length - i)),
                    either.Token
                );
                await context.Response.Body.FlushAsync(either.Token);
                await Task.Delay(DripInterval, either.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The client gave up on the trickle (what the test wants to see) or the proxy is stopping.
        }

        context.Abort();
    }

    private async Task HoldAsync(HttpContext context)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            await Task.Delay(Timeout.Infinite, either.Token);
        }
        catch (OperationCanceledException)
        {
            // The client gave up (what the test wants to see) or the proxy is stopping.
        }

        context.Abort();
    }

    private static async Task RelayAsync(HttpContext context, HttpResponseMessage upstream)
    {
        CopyHeaders(context, upstream);
        if (!HttpMethods.IsHead(context.Request.Method))
            await upstream.Content.CopyToAsync(context.Response.Body);
    }

    private static void CopyHeaders(HttpContext context, HttpResponseMessage upstream)
    {
        context.Response.StatusCode = (int)upstream.StatusCode;
        foreach (var header in upstream.Headers.Concat(upstream.Content.Headers))
        {
            if (HopByHop.Contains(header.Key))
                continue;
            context.Response.Headers[header.Key] = header.Value.ToArray();
        }

        if (upstream.Content.Headers.ContentLength is { } length)
            context.Response.ContentLength = length;
    }

    private async Task<HttpResponseMessage> ForwardAsync(HttpContext context)
    {
        var incoming = context.Request;
        var message = new HttpRequestMessage(
            new HttpMethod(incoming.Method),
            $"http://{_target}{incoming.Path}{incoming.QueryString}"
        );
        if (incoming.ContentLength > 0 || incoming.Headers.TransferEncoding.Count > 0)
        {
            message.Content = new StreamContent(incoming.Body);
            if (incoming.ContentLength is { } length)
                message.Content.Headers.ContentLength = length;
        }

        foreach (var (name, value) in incoming.Headers)
        {
            if (HopByHop.Contains(name))
                continue;
            if (!message.Headers.TryAddWithoutValidation(name, value.ToArray()))
                message.Content?.Headers.TryAddWithoutValidation(name, value.ToArray());
        }

        // The registry builds Location headers from Host: keep them pointing at the proxy.
        message.Headers.Host = Host;
        return await _upstream.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
    }
}

/// <summary>A fault aimed at one request by <see cref="RegistryFaultProxy.Rule"/>.</summary>
public enum ProxyFault
{
    /// <summary>503 without forwarding.</summary>
    ServerError,

    /// <summary>The connection is reset before the registry sees the request.</summary>
    DropBefore,

    /// <summary>The registry handles the request; the connection is reset instead of answering.</summary>
    DropAfter,

    /// <summary>The request is read and never answered.</summary>
    Silent,

    /// <summary>The registry's status and headers (and half the body) are sent, then nothing.</summary>
    HangAfterHeaders,

    /// <summary>The registry's status and headers with <see cref="RegistryFaultProxy.GarbageBody"/> as the
    /// body.</summary>
    Garbage,

    /// <summary>The registry's status, headers and half the body, then the connection is reset (a cut half-way through
    /// a download).</summary>
    CutBody,

    /// <summary>The registry's status and headers, then the body <see cref="RegistryFaultProxy.DripBytes"/> at a time,
    /// one drop per <see cref="RegistryFaultProxy.DripInterval"/>.</summary>
    SlowDrip,

    /// <summary>429 with <c>Retry-After: </c><see cref="RegistryFaultProxy.RetryAfterSeconds"/> (120 if unset), without
    /// forwarding.</summary>
    Throttle,

    /// <summary>Half the request body is read, then nothing more is read or answered: a registry frozen
    /// mid-upload.</summary>
    Freeze,
}

/// <summary>One request as the proxy saw it; <paramref name="Range"/> is its Range header (forwarded requests
/// only).</summary>
public sealed record ProxyLogEntry(string Method, string Target, int Status, ProxyFault? Fault, string Range = "");

/// <summary>How often each fault happens, per request (0..1). The rates add up; the rest is forwarded
/// cleanly.</summary>
public sealed record FaultPlan(
    double ServerErrorRate = 0,
    double ThrottleRate = 0,
    double DropBeforeRate = 0,
    double DropAfterRate = 0,
    double SlowRate = 0,
    int RetryAfterSeconds = 1,
    TimeSpan SlowDelay = default
)
{
    public static readonly FaultPlan None = new();
}
