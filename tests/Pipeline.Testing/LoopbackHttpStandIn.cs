using System.Net;
using System.Text;

namespace Pipeline.Testing;

/// <summary>
/// What every local HTTP stand-in for an unreachable API shares (Google's token endpoints, GitHub's OIDC endpoint,
/// Sigstore, a registry's token service, GitHub's REST API and its Packages feed): an <see cref="HttpListener"/> on a
/// free loopback port answering one request at a time. A subclass only says what each request gets, and calls
/// <see cref="Listen"/> at the end of its constructor; <see cref="Serve"/> does the same for a function.
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

    /// <summary>A stand-in that answers every request with <paramref name="answer"/>, already listening.</summary>
    public static LoopbackHttpStandIn Serve(Func<StandInRequest, StandInAnswer?> answer) => new Served(answer);

    /// <summary>Keys and certificates a stand-in holds, released once it stopped answering.</summary>
    protected virtual void ReleaseResources() { }

    protected void Listen()
    {
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The answer to one request (its body already read); null leaves it unanswered, a server that
    /// hangs.</summary>
    protected abstract StandInAnswer? Answer(StandInRequest request, string body);

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

            using var buffer = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(buffer);
            var request = new StandInRequest(
                context.Request.HttpMethod,
                context.Request.Url!,
                context.Request.Headers,
                buffer.ToArray()
            );
            StandInAnswer? answer;
            try
            {
                answer = Answer(request, request.Text);
            }
            catch (Exception e)
            {
                // a stand-in bug shows as a 500, not a hang
                answer = (500, System.Text.Json.JsonSerializer.Serialize(new { message = e.Message }));
            }

            if (answer is null)
                continue; // the connection stays open until disposal
            var response = context.Response;
            var bytes = answer.Bytes ?? Encoding.UTF8.GetBytes(answer.Body);
            response.StatusCode = answer.Status;
            foreach (var (name, value) in answer.Headers)
            {
                if (name.Equals("Location", StringComparison.OrdinalIgnoreCase))
                    response.RedirectLocation = value;
                else
                    response.Headers[name] = value;
            }

            if (answer.ContentType.Length > 0)
                response.ContentType = answer.ContentType;
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes);
            response.Close();
        }
    }

    private sealed class Served : LoopbackHttpStandIn
    {
        private readonly Func<StandInRequest, StandInAnswer?> _answer;

        public Served(Func<StandInRequest, StandInAnswer?> answer)
        {
            _answer = answer;
            Listen();
        }

        protected override StandInAnswer? Answer(StandInRequest request, string body) => _answer(request);
    }
}
