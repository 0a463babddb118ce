using Pipeline.Containers.ContainerEngines;
using Pipeline.Testing;

namespace Pipeline.Containers.Tests.Support;

/// <summary>
/// A private Podman service plus a connected <see cref="ContainerEngine"/>, and (when busybox is installed)
/// a base image with a shell for RUN steps. One per test class; nothing leaks between classes.
/// </summary>
public sealed class ContainerEngineFixture : IAsyncLifetime
{
    public const string BaseImage = "localhost/pipeline-test-base:busybox";

    private ContainerEngine? _engine;

    public PodmanService Podman { get; } = new();

    public ContainerEngine Engine =>
        _engine
        ?? throw new InvalidOperationException("podman is not available: " + PodmanService.MissingPrerequisite());

    public async Task InitializeAsync()
    {
        if (PodmanService.MissingPrerequisite() is not null)
            return;
        await Podman.InitializeAsync();
        _engine = await ContainerEngine.ConnectAsync(Podman.Endpoint, "test fixture");
        if (PodmanService.MissingPrerequisite(needsBusybox: true) is null)
            await Podman.ImportBusyboxBaseAsync(BaseImage);
    }

    public async Task DisposeAsync()
    {
        if (_engine is not null)
            await _engine.DisposeAsync();
        await Podman.DisposeAsync();
    }
}
