using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Pipeline.Testing;

/// <summary>
/// ASP.NET Core's Kestrel on a free loopback port, handing every request to one function: what each HTTP stand-in and
/// the registry fault proxy are served by. An empty builder (no configuration files, no logging, no routing), so
/// starting one costs milliseconds and watches no files. Kestrel rather than HttpListener because
/// <c>HttpContext.Abort()</c> really resets a connection and answers are written the way a real server writes them.
/// </summary>
public sealed class LoopbackHttpHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackHttpHost(RequestDelegate handle)
    {
        Port = FreePort.Next();
        BaseUrl = $"http://127.0.0.1:{Port}";
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, Port);
            kestrel.Limits.MaxRequestBodySize = null;
        });
        _app = builder.Build();
        _app.Run(handle);
    }

    public int Port { get; }

    /// <summary><c>http://127.0.0.1:port</c>, without a trailing slash.</summary>
    public string BaseUrl { get; }

    /// <summary>Starts serving <paramref name="handle"/>; listening when this returns.</summary>
    public static async Task<LoopbackHttpHost> StartAsync(RequestDelegate handle)
    {
        for (var attempt = 1; ; attempt++)
        {
            var host = new LoopbackHttpHost(handle);
            try
            {
                await host._app.StartAsync();
                return host;
            }
            catch (IOException) when (attempt < 5)
            {
                // Another test took the free port between the probe and the bind: take another.
                await host._app.DisposeAsync();
            }
        }
    }

    /// <summary>Stops listening; requests still running get <paramref name="grace"/> (5 s if not said) to finish before
    /// their connections are cut.</summary>
    public async ValueTask StopAsync(TimeSpan? grace = null)
    {
        using var timeout = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }
}
