using Microsoft.AspNetCore.Http;

namespace Pipeline.Testing;

/// <summary>
/// What every local HTTP stand-in for an unreachable API shares (Google's token endpoints, GitHub's OIDC endpoint,
/// Sigstore, a registry's token service, GitHub's REST API and its Packages feed): a <see cref="LoopbackHttpHost"/>
/// (Kestrel on a free loopback port) answering one request at a time. A subclass only says what each request gets,
/// and calls <see cref="Listen"/> at the end of its constructor; <see cref="Serve"/> does the same for a function.
/// </summary>
public abstract class LoopbackHttpStandIn : IAsyncDisposable
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private LoopbackHttpHost? _host;

    public int Port => Host.Port;

    /// <summary><c>http://127.0.0.1:port</c>, without a trailing slash.</summary>
    public string BaseUrl => Host.BaseUrl;

    private LoopbackHttpHost Host => _host ?? throw new InvalidOperationException("Listen() first.");

    /// <summary>A stand-in that answers every request with <paramref name="answer"/>, already listening.</summary>
    public static LoopbackHttpStandIn Serve(Func<StandInRequest, StandInAnswer?> answer) => new Served(answer);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync(); // lets requests left unanswered end
        if (_host is not null)
            await _host.DisposeAsync();
        _stopping.Dispose();
        _oneAtATime.Dispose();
        ReleaseResources();
    }

    /// <summary>Keys and certificates a stand-in holds, released once it stopped answering.</summary>
    protected virtual void ReleaseResources() { }

    protected void Listen() => _host = LoopbackHttpHost.StartAsync(HandleAsync).GetAwaiter().GetResult();

    /// <summary>The answer to one request (its body already read); null leaves it unanswered, a server that
    /// hangs.</summary>
    protected abstract StandInAnswer? Answer(StandInRequest request, string body);

    private async Task HandleAsync(HttpContext context)
    {
        var request = await StandInRequest.ReadAsync(context);
        StandInAnswer? answer;
        await _oneAtATime.WaitAsync(context.RequestAborted);
        try
        {
            answer = Answer(request, request.Text);
        }
        catch (Exception e)
        {
            // a stand-in bug shows as a 500, not a hang
            answer = (500, System.Text.Json.JsonSerializer.Serialize(new { message = e.Message }));
        }
        finally
        {
            _oneAtATime.Release();
        }

        if (answer is null)
        {
            // the connection stays open until disposal
            using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            try
            {
                await Task.Delay(Timeout.Infinite, either.Token);
            }
            catch (OperationCanceledException)
            {
                context.Abort();
            }

            return;
        }

        await answer.WriteAsync(context.Response, context.RequestAborted);
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
