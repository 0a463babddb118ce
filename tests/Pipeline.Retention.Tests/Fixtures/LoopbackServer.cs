using Microsoft.AspNetCore.Http;
using Pipeline.Testing;

namespace Pipeline.Retention.Tests.Fixtures;

/// <summary>
/// An API that cannot be reached from tests (GitHub, Google) answered by a function, on the kit's
/// <see cref="LoopbackHttpHost"/>. Requests are answered side by side, as the real APIs answer a client deleting in
/// parallel, and each is recorded.
/// </summary>
public sealed class LoopbackServer : IDisposable
{
    private readonly Func<StandInRequest, Task<StandInAnswer>> _answer;
    private readonly List<string> _requests = [];
    private readonly LoopbackHttpHost _host;

    public LoopbackServer(Func<StandInRequest, Task<StandInAnswer>> answer)
    {
        _answer = answer;
        _host = LoopbackHttpHost.StartAsync(HandleAsync).GetAwaiter().GetResult();
    }

    public int Port => _host.Port;

    public Uri BaseUri => new(_host.BaseUrl + "/");

    /// <summary>"METHOD raw-path-and-query", in arrival order.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
                return _requests.ToList();
        }
    }

    /// <summary>A JSON answer (none for a null <paramref name="json"/>) with optional headers.</summary>
    public static StandInAnswer Json(int status, string? json, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, json ?? "", json is null ? "" : "application/json; charset=utf-8")
        {
            Headers = headers ?? new Dictionary<string, string>(),
        };

    public void Dispose() => _host.DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task HandleAsync(HttpContext context)
    {
        var request = await StandInRequest.ReadAsync(context);
        lock (_requests)
            _requests.Add($"{request.HttpMethod} {request.RawUrl}");
        StandInAnswer answer;
        try
        {
            answer = await _answer(request);
        }
        catch (Exception e)
        {
            answer = Json(
                500,
                System.Text.Json.JsonSerializer.Serialize(new { message = "test server: " + e.Message })
            );
        }

        await answer.WriteAsync(context.Response, context.RequestAborted);
    }
}
