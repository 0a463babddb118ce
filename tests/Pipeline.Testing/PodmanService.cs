using System.Formats.Tar;
using System.Net.Sockets;
using System.Text;
using Pipeline.Containers.ContainerEngines;
using Pipeline.Processes;
using Xunit;

namespace Pipeline.Testing;

/// <summary>
/// A real Podman API for tests: <c>podman system service --time=0 unix:///tmp/&lt;unique&gt;/podman.sock</c> over a
/// private image store (<c>--root</c>/<c>--runroot</c> in the same temp folder), so tests never see or touch the
/// machine's images and everything goes away on dispose. Use as an xunit class fixture
/// (<c>IClassFixture&lt;PodmanService&gt;</c>) together with <see cref="PodmanFactAttribute"/>, which skips with the
/// reason when podman is not installed.
/// </summary>
public class PodmanService : IAsyncLifetime
{
    public const string BusyboxPath = "/bin/busybox";

    private readonly bool _runsContainers;

    public PodmanService()
        : this(runsContainers: false) { }

    /// <param name="runsContainers">Run the service and CLI with a private containers.conf (runc, cgroupfs, ulimits) so
    /// containers start here.</param>
    protected PodmanService(bool runsContainers) => _runsContainers = runsContainers;

    /// <summary>The private containers.conf containers run with (see <see cref="RunnablePodmanService"/>).</summary>
    public string ContainersConf => Path.Combine(Directory, "containers.conf");

    private BackgroundProcess? _process;

    /// <summary>The folder holding socket and storage; deleted on dispose.</summary>
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("pipeline-podman-test-").FullName;

    public string SocketPath => Path.Combine(Directory, "podman.sock");

    /// <summary><c>unix:///tmp/.../podman.sock</c>, what DOCKER_HOST or Docker.DotNet take.</summary>
    public Uri Endpoint => new("unix://" + SocketPath);

    /// <summary>Global options that point the CLI at this service's private store (for <c>podman
    /// create/import/inspect</c> in tests).</summary>
    // --tmpdir too: libpod keeps its "alive" state under /run/libpod by default, shared (and raced) by parallel test
    // services.
    public IReadOnlyList<string> StorageArguments =>
        [
            "--root",
            Path.Combine(Directory, "storage"),
            "--runroot",
            Path.Combine(Directory, "run"),
            "--tmpdir",
            Path.Combine(Directory, "libpod"),
        ];

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Why podman-backed tests cannot run here, or null when they can.</summary>
    public static string? MissingPrerequisite(bool needsBusybox = false)
    {
        if (ToolLocator.Find("podman") is null)
            return "podman is not installed (CI installs the Debian package 'podman')";
        if (needsBusybox && !File.Exists(BusyboxPath))
            return $"{BusyboxPath} is missing, needed for a base image with a shell (Debian package 'busybox-static')";
        return null;
    }

    public async Task InitializeAsync()
    {
        if (MissingPrerequisite() is not null)
            return;
        _process = ProcessRunner.Start(
            Podman([.. StorageArguments, "system", "service", "--time=0", Endpoint.ToString()])
        );
        await _process.WaitUntilReadyAsync(_ => AnswersPingAsync(), TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            // Unmounts and deletes the private store; then the folder can go.
            await RunPodmanAsync("system", "reset", "--force");
            await UnmountLeftoversAsync();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A lingering mount would make this fail; the folder is in /tmp either way.
        }
    }

    /// <summary>Runs the podman CLI against this service's private store; returns exit code and output.</summary>
    public async Task<(int ExitCode, string Output)> RunPodmanAsync(params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync(
            Podman([.. StorageArguments, .. arguments]) with
            {
                Timeout = TimeSpan.FromMinutes(5),
            }
        );
        return (result.ExitCode, result.StandardOutput + result.StandardError);
    }

    /// <summary>
    /// Imports a tiny base image (static busybox as /bin/sh, PATH=/bin) under <paramref name="reference"/>, so
    /// Containerfiles can have RUN steps without pulling anything. Returns the reference.
    /// </summary>
    public async Task<string> ImportBusyboxBaseAsync(string reference = "localhost/pipeline-test-base:busybox")
    {
        var tar = Path.Combine(Directory, "busybox-rootfs.tar");
        if (!File.Exists(tar))
        {
            await using var output = File.Create(tar);
            await using var writer = new TarWriter(output, TarEntryFormat.Pax);
            foreach (var folder in new[] { "bin/", "tmp/", "root/", "etc/" })
            {
                await writer.WriteEntryAsync(
                    new PaxTarEntry(TarEntryType.Directory, folder) { Mode = (UnixFileMode)0b111_101_101 }
                );
            }

            await using (var busybox = File.OpenRead(BusyboxPath))
            {
                await writer.WriteEntryAsync(
                    new PaxTarEntry(TarEntryType.RegularFile, "bin/busybox")
                    {
                        Mode = (UnixFileMode)0b111_101_101,
                        DataStream = busybox,
                    }
                );
            }

            foreach (var tool in new[] { "sh", "ls", "cat", "echo", "test", "date", "mkdir", "cp", "true", "false" })
            {
                await writer.WriteEntryAsync(
                    new PaxTarEntry(TarEntryType.SymbolicLink, "bin/" + tool)
                    {
                        LinkName = "busybox",
                        Mode = (UnixFileMode)0b111_111_111,
                    }
                );
            }
        }

        var (code, output2) = await RunPodmanAsync("import", "--change", "ENV PATH=/bin", tar, reference);
        if (code != 0)
            throw new InvalidOperationException($"podman import failed: {output2}");
        return reference;
    }

    /// <summary>The podman CLI, with the private containers.conf when this service runs containers.</summary>
    private ProcessRequest Podman(IReadOnlyList<string> arguments)
    {
        if (!_runsContainers)
            return new ProcessRequest("podman", arguments);
        if (!File.Exists(ContainersConf))
            PrivatePodmanConfig.Write(Directory);
        return new ProcessRequest("podman", arguments)
        {
            Environment = new Dictionary<string, string?> { ["CONTAINERS_CONF"] = ContainersConf },
        };
    }

    /// <summary>The overlay driver bind-mounts its own folder; when a reset races a killed service that mount can stay
    /// behind.</summary>
    private async Task UnmountLeftoversAsync()
    {
        if (!File.Exists("/proc/self/mounts"))
            return;
        var mounts = (await File.ReadAllLinesAsync("/proc/self/mounts"))
            .Select(line => line.Split(' '))
            .Where(fields => fields.Length > 1 && fields[1].StartsWith(Directory + "/", StringComparison.Ordinal))
            .Select(fields => fields[1])
            .OrderByDescending(path => path.Length);
        foreach (var mount in mounts)
        {
            await ProcessRunner.RunAsync(
                new ProcessRequest("umount", ["-l", mount]) { Timeout = TimeSpan.FromSeconds(30) }
            );
        }
    }

    private async Task<bool> AnswersPingAsync()
    {
        if (!File.Exists(SocketPath))
            return false;
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath));
            await socket.SendAsync(Encoding.ASCII.GetBytes("GET /_ping HTTP/1.0\r\nHost: d\r\n\r\n"));
            var buffer = new byte[64];
            var read = await socket.ReceiveAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).Contains(" 200 ", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
