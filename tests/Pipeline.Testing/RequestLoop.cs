using System.Collections.Concurrent;

namespace Pipeline.Testing;

/// <summary>
/// Clients requesting the switch's frontend in a loop until stopped (bounded: at most <c>maxRequests</c> and a
/// deadline), counting failures (anything but 200, connection errors, timeouts) and what each answer said.
/// </summary>
public sealed class RequestLoop : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly Task[] _clients;
    private readonly ConcurrentDictionary<string, int> _bodies = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private int _requests;

    public RequestLoop(Uri url, int clients = 2, int maxRequests = 20_000, TimeSpan? deadline = null)
    {
        _stop = new CancellationTokenSource(deadline ?? TimeSpan.FromSeconds(90));
        _clients = Enumerable
            .Range(0, clients)
            .Select(_ =>
                Task.Run(async () =>
                {
                    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
                    while (!_stop.IsCancellationRequested && Interlocked.Increment(ref _requests) <= maxRequests)
                    {
                        try
                        {
                            using var response = await http.GetAsync(url, _stop.Token);
                            var body = (await response.Content.ReadAsStringAsync(_stop.Token)).Trim();
                            if ((int)response.StatusCode == 200)
                                _bodies.AddOrUpdate(body, 1, (_, n) => n + 1);
                            else
                                _failures.Enqueue($"HTTP {(int)response.StatusCode}: {body}");
                        }
                        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                        {
                            break;
                        }
                        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                        {
                            _failures.Enqueue(e.Message);
                        }
                    }
                })
            )
            .ToArray();
    }

    public IReadOnlyDictionary<string, int> Bodies => _bodies;

    public IReadOnlyCollection<string> Failures => _failures;

    public int Served => _bodies.Values.Sum();

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_clients);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }
}
