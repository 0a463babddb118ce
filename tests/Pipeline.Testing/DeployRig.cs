using Pipeline.Processes;

namespace Pipeline.Testing;

/// <summary>
/// Real things on loopback for deploy tests, shared by a test class: a Podman API whose containers run (private store
/// and containers.conf), a docker-registry with basic auth, and four sample images built FROM scratch with the
/// machine's static busybox (httpd) and pushed there: <c>v1</c>, <c>v2</c> (healthy, answer "v1"/"v2"), <c>broken</c>
/// (its health path is 404: never healthy) and <c>dies</c> (healthy, then exits after a few seconds).
/// </summary>
public sealed class DeployRig : IAsyncLifetime
{
    public const string User = "deployer";

    /// <summary>A canary secret: no output, ledger line or exception may contain it.</summary>
    public const string Password = "pull-secret-canary-7f3a";

    public const string Repository = "team/sample";

    public RunnablePodmanService Podman { get; } = new();

    public RegistryServer Registry { get; private set; } = null!;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("pipeline-deploy-rig-").FullName;

    /// <summary>The digest of each pushed tag, as the registry stored it (podman push --digestfile).</summary>
    public Dictionary<string, string> Digests { get; } = [];

    public static string? MissingPrerequisite() =>
        PodmanService.MissingPrerequisite(needsBusybox: true)
        ?? new[] { "docker-registry", "haproxy", "runc", "htpasswd" }
            .Where(t => ToolLocator.Find(t) is null)
            .Select(t => $"{t} is not installed (apt-get install -y {DebianPackages.For(t)})")
            .FirstOrDefault();

    public async Task InitializeAsync()
    {
        if (MissingPrerequisite() is not null)
            return;
        Registry = await RegistryServer.StartAsync(basicAuth: (User, Password));
        await Podman.InitializeAsync();
        var context = Path.Combine(Directory, "context");
        System.IO.Directory.CreateDirectory(Path.Combine(context, "www", "cgi-bin"));
        File.Copy(PodmanService.BusyboxPath, Path.Combine(context, "busybox"));
        await File.WriteAllTextAsync(
            Path.Combine(context, "health"),
            "#!/bin/busybox sh\necho 'Content-Type: application/json'\necho\necho '{\"status\":\"ok\"}'\n"
        );
        foreach (
            var (tag, body, entry) in new[]
            {
                ("v1", "v1", Serve),
                ("v2", "v2", Serve),
                (
                    "broken",
                    "broken",
                    "echo 'sample: config missing, health endpoint disabled' >&2; rm /srv/www/cgi-bin/health; " + Serve
                ),
                (
                    "dies",
                    "dies",
                    "/bin/busybox httpd -p ${PORT:-8080} -h /srv/www; echo "
                        + "'sample: giving up' >&2; /bin/busybox sleep 4; exit 3"
                ),
            }
        )
        {
            await File.WriteAllTextAsync(Path.Combine(context, "index.html"), body);
            await File.WriteAllTextAsync(
                Path.Combine(context, "Containerfile"),
                $"""
                FROM scratch
                COPY busybox /bin/busybox
                COPY index.html /srv/www/index.html
                COPY --chmod=755 health /srv/www/cgi-bin/health
                ENTRYPOINT ["/bin/busybox", "sh", "-c", "trap 'exit 0' TERM; {entry.Replace("\"", "\\\"")}"]
                """
            );
            await PodmanAsync("build", "--quiet", "-t", $"localhost/deploy-sample:{tag}", context);
            var digestFile = Path.Combine(Directory, tag + ".digest");
            await PodmanAsync(
                "push",
                "--quiet",
                "--tls-verify=false",
                "--digestfile",
                digestFile,
                "--creds",
                $"{User}:{Password}",
                $"localhost/deploy-sample:{tag}",
                $"{Registry.Host}/{Repository}:{tag}"
            );
            Digests[tag] = (await File.ReadAllTextAsync(digestFile)).Trim();
        }
    }

    /// <summary>httpd in the background and a shell that waits, so SIGTERM stops the container at once.</summary>
    private const string Serve = "/bin/busybox httpd -f -p ${PORT:-8080} -h /srv/www & wait";

    public async Task DisposeAsync()
    {
        if (MissingPrerequisite() is not null)
            return;
        await PodmanAsync("rm", "--all", "--force", "--time", "0");
        await Podman.DisposeAsync();
        await Registry.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    public async Task<string> PodmanAsync(params string[] arguments)
    {
        var (code, output) = await Podman.RunPodmanAsync(arguments);
        if (code != 0)
            throw new InvalidOperationException(
                $"podman {string.Join(' ', arguments.Where(a => !a.Contains(Password, StringComparison.Ordinal)))} "
                    + $"failed: {output}"
            );
        return output;
    }
}
