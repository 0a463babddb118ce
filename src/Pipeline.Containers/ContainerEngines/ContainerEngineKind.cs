namespace Pipeline.Containers.ContainerEngines;

/// <summary>Which product answers the Docker Engine API: decides the build endpoint and the build-cache
/// model.</summary>
public enum ContainerEngineKind
{
    Docker,
    Podman,
}
