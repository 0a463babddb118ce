using Pipeline.Containers;
using Pipeline.Containers.ContainerEngines;
using Pipeline.Engine;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Parameters;

namespace Pipeline.Components.Containers;

/// <summary>
/// The container engine the build talks to (Docker or Podman, through the Docker Engine API).
/// Found by discovery: <c>--docker-host</c>/<c>DOCKER_HOST</c>, Podman's rootless then rootful socket, Docker's socket,
/// else a private <c>podman system service</c> for the build.
/// </summary>
public interface IHazContainerEngine : IPipelineBuild
{
    [Parameter("Container engine address (unix:///run/podman/podman.sock, tcp://host:2375); default: discovered")]
    string? DockerHost => this.Get(() => DockerHost);

    /// <summary>Connects (or fails with a <see cref="BuildFailure"/> that lists what was tried). Dispose it when
    /// done.</summary>
    Task<ContainerEngine> ConnectContainerEngineAsync() => ContainerEngineConnection.ConnectAsync(DockerHost);
}
