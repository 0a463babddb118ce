using Pipeline.Containers;
using Pipeline.Containers.ContainerEngines;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;

namespace Pipeline.Components.Containers;

/// <summary>Behind <see cref="IHazContainerEngine.ConnectContainerEngineAsync"/>: discovery, with <c>--docker-host</c>
/// standing in for DOCKER_HOST.</summary>
internal static class ContainerEngineConnection
{
    public static async Task<ContainerEngine> ConnectAsync(string? host)
    {
        var discovery = new ContainerEngineDiscovery(
            Log.Logger,
            name =>
                name == "DOCKER_HOST" && !string.IsNullOrWhiteSpace(host)
                    ? host
                    : Environment.GetEnvironmentVariable(name)
        );
        try
        {
            var engine = await discovery.ConnectAsync();
            Log.Info($"Container engine: {engine}");
            return engine;
        }
        catch (ContainerException e)
        {
            throw new BuildFailure(e.Message, inner: e);
        }
    }
}
