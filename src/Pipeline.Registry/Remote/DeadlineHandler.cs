using Pipeline.Registry.IO;

namespace Pipeline.Registry.Remote;

/// <summary>
/// Puts a deadline on every wait of a request: the attempt fails when no byte moves for the idle time the transport
/// set on the request (<see cref="IdleTimeout"/>): while the body goes up (the deadline restarts after each slice the
/// socket takes, and pauses while the body's own source is read), while waiting for the headers, and on every read of
/// the answer's body afterwards. A registry that accepts the connection and then says nothing, or sends headers and
/// then stops, ends the attempt after the idle time instead of hanging the build. A body that trickles slower than
/// <paramref name="minimumRate"/> (bytes per second over an idle time) counts as stalled too.
/// </summary>
internal sealed class DeadlineHandler(HttpMessageHandler inner, int minimumRate = 0) : DelegatingHandler(inner)
{
    public static readonly HttpRequestOptionsKey<TimeSpan> IdleTimeout = new("pipeline.registry.idle");

    protected override async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request,
        CancellationToken cancellationToken
    )
    {
        if (!request.Options.TryGetValue(IdleTimeout, out var idle))
            return await base.SendAsync(request, cancellationToken);
        var what = $"{request.Method} {request.RequestUri?.AbsolutePath} on {request.RequestUri?.Authority}";
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(idle);
        if (request.Content is { } body)
            request.Content = new ProgressContent(
                body,
                sending => Restart(deadline, sending ? idle : Timeout.InfiniteTimeSpan)
            );

        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AnswerStalledException($"{what}: no answer for {idle.TotalSeconds:0.#} s");
        }

        // From here the body is read without the send's token: each read gets its own deadline.
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var guarded = new StreamContent(new DeadlineReadStream(stream, idle, what, minimumRate));
        foreach (var header in response.Content.Headers)
            guarded.Headers.TryAddWithoutValidation(header.Key, header.Value);
        response.Content = guarded;
        return response;
    }

    private static void Restart(CancellationTokenSource deadline, TimeSpan idle)
    {
        try
        {
            deadline.CancelAfter(idle);
        }
        catch (ObjectDisposedException)
        {
            // The answer came before the body was fully sent (an early error): nothing left to guard.
        }
    }
}
