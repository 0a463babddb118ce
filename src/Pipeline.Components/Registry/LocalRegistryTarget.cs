using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;

namespace Pipeline.Components.Registry;

/// <summary>What the LocalRegistry target does: make sure the loopback registry answers, and say where.</summary>
internal static class LocalRegistryTarget
{
    public static async Task RunAsync(ILocalRegistry build)
    {
        try
        {
            var host = await LocalRegistrySession.EnsureAsync(build);
            StepOutputs.Set("local-registry", host);
            Log.Info($"local registry: {host}");
        }
        catch (Pipeline.Registry.RegistryException e)
        {
            throw new BuildFailure($"LocalRegistry: {e.Message}");
        }
    }
}
