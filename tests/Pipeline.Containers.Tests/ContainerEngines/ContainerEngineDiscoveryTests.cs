using Pipeline.Containers.ContainerEngines;
using Pipeline.Testing;

namespace Pipeline.Containers.Tests.ContainerEngines;

public class ContainerEngineDiscoveryTests(PodmanService podman) : IClassFixture<PodmanService>
{
    private static readonly IReadOnlyList<(string, Uri)> NoSockets =
    [
        ("Podman rootful socket", new Uri("unix:///nonexistent/podman.sock")),
    ];

    [PodmanFact]
    public async Task DOCKER_HOST_wins_and_podman_is_recognised_from_its_version_components()
    {
        var discovery = new ContainerEngineDiscovery(
            new RecordingLogger(),
            Env(("DOCKER_HOST", podman.Endpoint.ToString())),
            NoSockets,
            ContainerEngineDiscovery.NoPodman
        );

        await using var engine = await discovery.ConnectAsync();

        Assert.Equal(ContainerEngineKind.Podman, engine.Kind);
        Assert.Equal("DOCKER_HOST", engine.FoundVia);
        Assert.Equal(podman.Endpoint, engine.Endpoint);
        Assert.Matches(@"^1\.\d+$", engine.ApiVersion);
        Assert.Matches(@"^\d+\.\d+", engine.Version); // from /_ping's Server header
        Assert.Matches("^linux/[a-z0-9]+$", await engine.PlatformAsync()); // /version, asked on first use
        Assert.NotNull(await engine.Client.System.GetVersionAsync());
    }

    [PodmanFact]
    public async Task A_well_known_socket_is_used_when_no_host_variable_is_set()
    {
        var sockets = new List<(string, Uri)>
        {
            ("Podman rootless socket", new Uri("unix:///nonexistent/a.sock")),
            ("Podman rootful socket", podman.Endpoint),
        };
        var discovery = new ContainerEngineDiscovery(
            new RecordingLogger(),
            Env(),
            sockets,
            ContainerEngineDiscovery.NoPodman
        );

        await using var engine = await discovery.ConnectAsync();

        Assert.Equal("Podman rootful socket", engine.FoundVia);
    }

    [Fact]
    public async Task An_unreachable_DOCKER_HOST_fails_instead_of_silently_building_elsewhere()
    {
        var discovery = new ContainerEngineDiscovery(
            new RecordingLogger(),
            Env(("DOCKER_HOST", "unix:///nonexistent/docker.sock")),
            NoSockets,
            ContainerEngineDiscovery.NoPodman
        );

        var error = await Assert.ThrowsAsync<ContainerException>(() => discovery.ConnectAsync());

        Assert.Contains(
            "DOCKER_HOST is set to unix:///nonexistent/docker.sock but no engine "
                + "answered there (DOCKER_HOST unix:///nonexistent/docker.sock: no socket)",
            error.Message
        );
    }

    [Fact]
    public async Task A_malformed_DOCKER_HOST_is_named_in_the_error()
    {
        var discovery = new ContainerEngineDiscovery(
            new RecordingLogger(),
            Env(("DOCKER_HOST", "not a uri")),
            NoSockets,
            ContainerEngineDiscovery.NoPodman
        );

        var error = await Assert.ThrowsAsync<ContainerException>(() => discovery.ConnectAsync());

        Assert.Contains("DOCKER_HOST='not a uri' is not an engine address", error.Message);
    }

    [Fact]
    public async Task With_no_engine_at_all_the_error_lists_everything_tried()
    {
        var discovery = new ContainerEngineDiscovery(
            new RecordingLogger(),
            Env(),
            [
                ("Podman rootless socket", new Uri("unix:///nonexistent/a.sock")),
                ("Docker socket", new Uri("unix:///nonexistent/docker.sock")),
            ],
            ContainerEngineDiscovery.NoPodman
        );

        var error = await Assert.ThrowsAsync<ContainerException>(() => discovery.ConnectAsync());

        Assert.Equal(
            "no container engine found; tried Podman rootless socket unix:///nonexistent/a.sock: "
                + "no socket; Docker socket unix:///nonexistent/docker.sock: no socket; "
                + "podman CLI: not on PATH. Start Docker or Podman, or set DOCKER_HOST",
            error.Message
        );
    }

    [PodmanFact]
    public async Task When_no_socket_answers_a_private_podman_service_is_started_and_stopped_afterwards()
    {
        var discovery = new ContainerEngineDiscovery(
            new RecordingLogger(),
            Env(),
            NoSockets,
            podmanExecutable: "podman"
        );
        string socket;

        await using (var engine = await discovery.ConnectAsync())
        {
            Assert.Equal("private podman service", engine.FoundVia);
            Assert.Equal(ContainerEngineKind.Podman, engine.Kind);
            socket = engine.Endpoint.LocalPath;
            Assert.True(File.Exists(socket));
            Assert.NotNull(await engine.Client.System.GetVersionAsync());
        }

        Assert.False(File.Exists(socket));
        Assert.False(Directory.Exists(Path.GetDirectoryName(socket)));
    }

    private static Func<string, string?> Env(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;
}
