using Pipeline.Deploy.Hosts;

namespace Pipeline.Deploy.Health;

/// <summary>
/// Healthy means both: the health URL answered 2xx within the deadline, and the container is still running afterwards
/// (a process that answers once and then exits is not healthy). Each attempt has its own short timeout.
/// </summary>
public sealed class HealthProbe(HttpClient http)
{
    public static HttpClient CreateClient() =>
        new(
            new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.Zero,
                ConnectTimeout = TimeSpan.FromSeconds(2),
            }
        )
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };

    /// <returns>Null when healthy, else why not (one line).</returns>
    public async Task<string?> WaitHealthyAsync(
        IContainerHost host,
        string containerId,
        Uri url,
        TimeSpan timeout,
        CancellationToken ct
    )
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "no answer yet";
        while (true)
        {
            var state = await host.InspectAsync(containerId, ct);
            if (state is not { Running: true })
                return state is null
                    ? "the container disappeared"
                    : $"the container exited (code {state.ExitCode}) before it became healthy";
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
                return $"{url} did not answer 2xx within {timeout.TotalSeconds:0.#}s (last: {last})";
            using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                attempt.CancelAfter(remaining < TimeSpan.FromSeconds(2) ? remaining : TimeSpan.FromSeconds(2));
                try
                {
                    using var response = await http.GetAsync(
                        url,
                        HttpCompletionOption.ResponseHeadersRead,
                        attempt.Token
                    );
                    if ((int)response.StatusCode is >= 200 and < 300)
                    {
                        var after = await host.InspectAsync(containerId, ct);
                        return after is { Running: true } ? null : "the container answered and then exited";
                    }

                    last = $"HTTP {(int)response.StatusCode}";
                }
                catch (HttpRequestException e)
                {
                    last = e.InnerException?.Message ?? e.Message;
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    last = "attempt timed out";
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
        }
    }
}
