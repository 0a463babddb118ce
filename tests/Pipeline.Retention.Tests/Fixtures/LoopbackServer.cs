using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Pipeline.Retention.Tests.Fixtures;

/// <summary>A small HTTP server on a free loopback port (HttpListener), for APIs that cannot be reached from tests
/// (GitHub, Google).</summary>
public sealed class LoopbackServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerContext, Task> _handle;
    private readonly Task _loop;
    private readonly List<string> _requests = [];

    public LoopbackServer(Func<HttpListenerContext, Task> handle)
    {
        _handle = handle;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public Uri BaseUri => new($"http://127.0.0.1:{Port}/");

    /// <summary>"METHOD raw-path-and-query", in arrival order.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
                return _requests.ToList();
        }
    }

    public static async Task WriteAsync(
        HttpListenerResponse response,
        int status,
        string? json,
        IDictionary<string, string>? headers = null
    )
    {
        response.StatusCode = status;
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            response.Headers[name] = value;
        if (json is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            response.ContentType = "application/json; charset=utf-8";
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes);
        }

        response.Close();
    }

    public void Dispose()
    {
        try
        {
            _listener.Stop();
            _listener.Close();
        }
        catch (HttpListenerException)
        {
            // Managed HttpListener re-resolves its endpoint on close; when another test's server took the port since,
            // closing reports "Address already in use". The listener is stopped either way.
        }

        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener throws when it stops; that is how the loop ends.
        }
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
            catch (Exception e)
                when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            lock (_requests)
                _requests.Add($"{context.Request.HttpMethod} {context.Request.RawUrl}");
            _ = Task.Run(async () =>
            {
                try
                {
                    await _handle(context);
                }
                catch (Exception e)
                {
                    await WriteAsync(
                        context.Response,
                        500,
                        System.Text.Json.JsonSerializer.Serialize(new { message = "test server: " + e.Message })
                    );
                }
            });
        }
    }
}
