using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Registry;
using Pipeline.Registry.Local;

namespace Pipeline.Components.Registry;

/// <summary>
/// The local registry for this build: started at most once per process when nothing answers on its address,
/// and stopped when the build process exits (data stays in the state folder, <c>registry/data</c>).
/// </summary>
public static class LocalRegistrySession
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<BuildContext, string> Unavailable = [];
    private static LocalRegistry? _started;

    /// <summary>
    /// The local registry as a fallback: its address, or null when it cannot be had here (no <c>docker-registry</c>,
    /// port taken). Said with one warning per build, however many pushes ask.
    /// </summary>
    public static async Task<string?> TryEnsureAsync(IRegistryConfig build)
    {
        var context = BuildContext.Current;
        if (Unavailable.TryGetValue(context, out _))
            return null;
        try
        {
            return await EnsureAsync(build);
        }
        catch (RegistryUnavailableException e)
        {
            if (Unavailable.TryAdd(context, e.Message))
                Log.Warn($"local registry unavailable, skipped as a destination: {e.Message}");
            return null;
        }
    }

    public static async Task<string> EnsureAsync(IRegistryConfig build)
    {
        await Gate.WaitAsync();
        try
        {
            var running = await LocalRegistry.EnsureRunningAsync(
                build.LocalRegistryHost,
                build.LocalRegistryPort,
                build.RegistryStateDirectory / "data",
                Log.Logger
            );
            if (running.Started && _started is null)
            {
                _started = running;
                AppDomain.CurrentDomain.ProcessExit += (_, _) =>
                    _started?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            return running.Host;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Stops the registry this process started (tests; the build relies on process exit).</summary>
    public static async Task StopAsync()
    {
        if (_started is { } started)
        {
            _started = null;
            await started.DisposeAsync();
        }
    }
}
