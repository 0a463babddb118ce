using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Pipeline.Testing;

/// <summary>How a <see cref="SickRegistry"/> answers every request.</summary>
public enum Sickness
{
    /// <summary>503 Service Unavailable, always (an overloaded registry or its load balancer).</summary>
    ServerErrors,

    /// <summary>200 with an HTML page instead of the Distribution API's JSON (a captive portal or a misrouted
    /// proxy).</summary>
    Garbage,

    /// <summary>Status line and headers promising a body, then silence with the connection held open.</summary>
    HeadersThenSilence,
}

/// <summary>
/// A "registry" on a free loopback port that is sick in one chosen way, for the cases a real docker-registry cannot be
/// made to produce. Raw TCP, so silence is real silence (no framework finishes the response). Counts the requests it
/// got.
/// </summary>
public sealed class SickRegistry : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private readonly List<TcpClient> _held = [];
    private int _requests;

    private SickRegistry(Sickness sickness)
    {
        Sickness = sickness;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public Sickness Sickness { get; }

    public int Port { get; }

    public string Host => $"127.0.0.1:{Port}";

    /// <summary>Requests received so far (a request line and its headers).</summary>
    public int Requests => Volatile.Read(ref _requests);

    public static SickRegistry Start(Sickness sickness) => new(sickness);

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            var stream = client.GetStream();
            // One request per connection (answers say Connection: close), so a chunked body never has to be parsed.
            {
                var length = await ReadHeadAsync(stream);
                if (length is null)
                    return;
                Interlocked.Increment(ref _requests);
                await SkipAsync(stream, length.Value);
                switch (Sickness)
                {
                    case Sickness.ServerErrors:
                        await WriteAsync(
                            stream,
                            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: "
                                + "text/plain\r\nConnection: close\r\nContent-Length: "
                                + "19\r\n\r\nservice unavailable"
                        );
                        break;
                    case Sickness.Garbage:
                        const string page = "<html><body>Please sign in to continue</body></html>";
                        await WriteAsync(
                            stream,
                            $"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: "
                                + $"close\r\nContent-Length: {page.Length}\r\n\r\n{page}"
                        );
                        break;
                    default:
                        await WriteAsync(
                            stream,
                            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n{"
                        );
                        lock (_held)
                            _held.Add(client); // kept open, never written to again
                        await Task.Delay(Timeout.Infinite, _stopping.Token);
                        break;
                }
            }
        }
        catch (Exception e)
            when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the client gave up: that is the point
        }
        finally
        {
            client.Dispose();
        }
    }

    /// <summary>Reads a request head; returns its Content-Length (0 when absent), or null when the client
    /// closed.</summary>
    private static async Task<long?> ReadHeadAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one) == 0)
                return null;
            head.Append((char)one[0]);
        }

        foreach (var line in head.ToString().Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                return long.Parse(
                    line["Content-Length:".Length..].Trim(),
                    System.Globalization.CultureInfo.InvariantCulture
                );
        }

        return 0;
    }

    private static async Task SkipAsync(NetworkStream stream, long length)
    {
        var buffer = new byte[64 * 1024];
        while (length > 0)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length)));
            if (read == 0)
                return;
            length -= read;
        }
    }

    private static Task WriteAsync(NetworkStream stream, string text) =>
        stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        lock (_held)
        {
            foreach (var client in _held)
                client.Dispose();
        }

        try
        {
            await _accepting;
        }
        catch (OperationCanceledException) { }

        _stopping.Dispose();
    }
}
