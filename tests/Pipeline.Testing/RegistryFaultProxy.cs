using System.Net;

namespace Pipeline.Testing;

/// <summary>
/// An HTTP proxy in front of a registry that misbehaves on purpose: random 503s, 429s with <c>Retry-After</c>,
/// connections dropped before or after the registry handled the request (the answer is lost), and slow answers.
/// Faults are drawn from a seeded random source so a failing run can be replayed. The proxy forwards with its own
/// Host header so the registry's Location headers point back through it.
/// </summary>
public sealed class RegistryFaultProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer", "Host", "Content-Length", "Expect",
    };

    private readonly HttpListener _listener = new();
    private readonly HttpClient _upstream = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromMinutes(2) };
    private readonly string _target;
    private readonly Random _random;
    private readonly Lock _randomGate = new();
    private readonly Task _loop;
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
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Host => $"127.0.0.1:{Port}";

    public FaultPlan Plan { get; set; }

    public int ServerErrors => _serverErrors;

    public int Throttled => _throttled;

    public int Dropped => _dropped;

    public int Slowed => _slowed;

    public int Forwarded => _forwarded;

    public int FaultsInjected => _serverErrors + _throttled + _dropped + _slowed;

    /// <param name="target">The registry's host:port.</param>
    public static RegistryFaultProxy Start(string target, FaultPlan plan, int seed = 42) => new(target, plan, seed);

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception)
        {
            // shut down
        }

        _upstream.Dispose();
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private double Roll()
    {
        lock (_randomGate) return _random.NextDouble();
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            // Pings are left alone so the client always learns the auth scheme; the faults hit the real work.
            var isPing = context.Request.Url!.AbsolutePath == "/v2/";
            var plan = isPing ? FaultPlan.None : Plan;
            if (Roll() < plan.SlowRate)
            {
                Interlocked.Increment(ref _slowed);
                await Task.Delay(plan.SlowDelay);
            }

            var roll = Roll();
            if (roll < plan.ServerErrorRate)
            {
                Interlocked.Increment(ref _serverErrors);
                await DrainAsync(context);
                response.StatusCode = 503;
                response.Close();
                return;
            }

            roll -= plan.ServerErrorRate;
            if (roll < plan.ThrottleRate)
            {
                Interlocked.Increment(ref _throttled);
                await DrainAsync(context);
                response.StatusCode = 429;
                response.AddHeader("Retry-After", plan.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
                var body = """{"errors":[{"code":"TOOMANYREQUESTS","message":"rate limit: 100 requests per minute"}]}"""u8.ToArray();
                response.ContentType = "application/json";
                response.ContentLength64 = body.Length;
                await response.OutputStream.WriteAsync(body);
                response.Close();
                return;
            }

            roll -= plan.ThrottleRate;
            if (roll < plan.DropBeforeRate)
            {
                Interlocked.Increment(ref _dropped);
                response.Abort(); // the registry never sees it
                return;
            }

            roll -= plan.DropBeforeRate;
            var dropAfter = roll < plan.DropAfterRate;
            using var upstream = await ForwardAsync(context);
            Interlocked.Increment(ref _forwarded);
            if (dropAfter)
            {
                Interlocked.Increment(ref _dropped);
                response.Abort(); // the registry did the work, the client never hears
                return;
            }

            await CopyBackAsync(upstream, context);
        }
        catch (Exception)
        {
            try
            {
                response.Abort();
            }
            catch (Exception)
            {
                // already closed
            }
        }
    }

    private async Task<HttpResponseMessage> ForwardAsync(HttpListenerContext context)
    {
        var incoming = context.Request;
        var message = new HttpRequestMessage(new HttpMethod(incoming.HttpMethod), $"http://{_target}{incoming.RawUrl}");
        if (incoming.HasEntityBody || incoming.ContentLength64 > 0)
        {
            message.Content = new StreamContent(incoming.InputStream);
            if (incoming.ContentLength64 >= 0) message.Content.Headers.ContentLength = incoming.ContentLength64;
        }

        foreach (var name in incoming.Headers.AllKeys)
        {
            if (name is null || HopByHop.Contains(name)) continue;
            var value = incoming.Headers[name]!;
            if (!message.Headers.TryAddWithoutValidation(name, value)) message.Content?.Headers.TryAddWithoutValidation(name, value);
        }

        message.Headers.Host = Host;
        return await _upstream.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
    }

    private static async Task CopyBackAsync(HttpResponseMessage upstream, HttpListenerContext context)
    {
        var response = context.Response;
        response.StatusCode = (int)upstream.StatusCode;
        foreach (var header in upstream.Headers.Concat(upstream.Content.Headers))
        {
            if (HopByHop.Contains(header.Key)) continue;
            foreach (var value in header.Value) response.AddHeader(header.Key, value);
        }

        if (upstream.Content.Headers.ContentLength is { } length) response.ContentLength64 = length;
        if (context.Request.HttpMethod != "HEAD" && (upstream.Content.Headers.ContentLength ?? 1) > 0)
        {
            await using var body = await upstream.Content.ReadAsStreamAsync();
            await body.CopyToAsync(response.OutputStream);
        }

        response.Close();
    }

    private static async Task DrainAsync(HttpListenerContext context)
    {
        if (context.Request.HasEntityBody) await context.Request.InputStream.CopyToAsync(Stream.Null);
    }
}

/// <summary>How often each fault happens, per request (0..1). The rates add up; the rest is forwarded cleanly.</summary>
public sealed record FaultPlan(
    double ServerErrorRate = 0,
    double ThrottleRate = 0,
    double DropBeforeRate = 0,
    double DropAfterRate = 0,
    double SlowRate = 0,
    int RetryAfterSeconds = 1,
    TimeSpan SlowDelay = default)
{
    public static readonly FaultPlan None = new();
}
