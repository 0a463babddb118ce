using Pipeline.Engine;
using Pipeline.Engine.Parameters;

namespace Pipeline.Components.Shared;

/// <summary>The loopback registry: a fallback for every push, the local profile's only registry, and a Retention
/// target.</summary>
public interface IHazLocalRegistry : IPipelineBuild
{
    [Parameter("Loopback host of the local registry (fallback and local profile)")]
    string LocalRegistryHost => this.Get(() => LocalRegistryHost, "127.0.0.1");

    [Parameter("Port of the local registry")]
    int LocalRegistryPort => this.Get(() => LocalRegistryPort, 5000);
}
