using System.Net;
using System.Text;

namespace Pipeline.Testing;

/// <summary>
/// What every local HTTP stand-in for an unreachable API shares (Google's token endpoints, GitHub's OIDC endpoint,
/// Sigstore, a registry's token service): an <see cref="HttpListener"/> on a free loopback port answering one request
/// at a time. A subclass only says what each request gets, and calls <see cref="Listen"/> at the end of its
/// constructor.
/// </summary>
public abstract class LoopbackHttpStandIn : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private Task _loop = Task.CompletedTask;

    protected LoopbackHttpStandIn()
    {
        Port = FreePort.Next();
        BaseUrl = $"http://127.0.0.1:{Port}";
        _listener.Prefixes.Add(BaseUrl + "/");
    }

    public int Port { get; }

    /// <summary><c>http://127.0.0.1:port</c>, without a trailing slash.</summary>
    public string BaseUrl { get; }

    public async ValueTask DisposeAsync()
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
            await _loop;
        }
        catch (Exception)
        {
            // stopped
        }

        ReleaseResources();
    }

    /// <summary>Keys and certificates a stand-in holds, released once it stopped answering.</summary>
    protected virtual void ReleaseResources() { }

    protected void Listen()
    {
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The answer to one request (its body already read); null leaves it unanswered, a server that
    /// hangs.</summary>
    protected abstract StandInAnswer? Answer(HttpListenerRequest request, string body);

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

            var body = await new StreamReader(context.Request.InputStream).ReadToEndAsync();
            StandInAnswer? answer;
            try
            {
                answer = Answer(context.Request, body);
            }
            catch (Exception e)
            {
                // a stand-in bug shows as a 500, not a hang
                answer = (500, System.Text.Json.JsonSerializer.Serialize(new { message = e.Message }));
            }

            if (answer is null)
                continue; // the connection stays open until disposal
            var bytes = Encoding.UTF8.GetBytes(answer.Body);
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = answer.ContentType;
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}

/// <summary>A stand-in's answer: status, body and content type (JSON unless said otherwise).</summary>
public sealed record StandInAnswer(int Status, string Body, string ContentType = "application/json")
{
    public static implicit operator StandInAnswer((int Status, string Body) answer) => new(answer.Status, answer.Body);
}
