using System.Net;
using System.Text;

namespace Pipeline.Testing;

/// <summary>
/// What every local HTTP stand-in for an unreachable API shares (Google's token endpoints, GitHub's OIDC endpoint): an
/// <see cref="HttpListener"/> on a free loopback port answering one request at a time. A subclass only says what each
/// request gets, and calls <see cref="Listen"/> at the end of its constructor.
/// </summary>
public abstract class LoopbackHttpStandIn : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private Task _loop = Task.CompletedTask;

    protected LoopbackHttpStandIn()
    {
        BaseUrl = $"http://127.0.0.1:{FreePort.Next()}";
        _listener.Prefixes.Add(BaseUrl + "/");
    }

    /// <summary><c>http://127.0.0.1:port</c>, without a trailing slash.</summary>
    public string BaseUrl { get; }

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
            // stopped
        }
    }

    protected void Listen()
    {
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The answer to one request (its body already read); null leaves it unanswered, a server that hangs.</summary>
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
            if (Answer(context.Request, body) is not { } answer) continue; // the connection stays open until disposal
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
