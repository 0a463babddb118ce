using System.Diagnostics;

namespace Pipeline.Registry.Local;

/// <summary>
/// The registry server (docker-registry) reads every <c>REGISTRY_*</c> environment variable as an override of its
/// configuration, so an unrelated one in our environment (Podman's <c>REGISTRY_AUTH_FILE</c>, our own
/// <c>REGISTRY_TIMEOUT</c>) makes it refuse to start. The config file we write is the whole configuration.
/// </summary>
public static class RegistryServerEnvironment
{
    public static void RemoveOverrides(ProcessStartInfo start)
    {
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("REGISTRY_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }
    }
}
