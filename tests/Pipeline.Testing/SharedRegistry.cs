using System.Diagnostics;
using System.Globalization;

namespace Pipeline.Testing;

/// <summary>
/// A test's own namespace on the test assembly's open registry: one real <see cref="RegistryServer"/> per test process,
/// started on first use and stopped when the process ends, shared by every class of the assembly (a static, not an
/// xunit collection: a collection would run its classes one at a time). Each <see cref="OpenAsync"/> hands out a new
/// namespace, so tests never see each other's repositories.
/// <code>var registry = await SharedRegistry.OpenAsync();
/// registry.Reference("proj/app") // "127.0.0.1:41234/t1a2b3c4d5e/proj/app"</code>
/// A test that stops the registry, lists its catalog, counts its requests or log lines, deletes or garbage-collects,
/// needs auth, or reads its storage beyond its own namespace starts its own <see cref="RegistryServer"/> instead
/// (OneTestKitTests keeps that list, with the reason per file).
/// </summary>
public sealed class SharedRegistry
{
    private static readonly Lazy<Task<RegistryServer>> First = new(StartForProcessAsync);
    private static readonly Lazy<Task<RegistryServer>> Second = new(StartForProcessAsync);

    private readonly RegistryServer _server;

    private SharedRegistry(RegistryServer server)
    {
        _server = server;
        Namespace = "t" + Guid.NewGuid().ToString("N")[..11];
    }

    /// <summary><c>127.0.0.1:port</c>, shared: everything a test puts there goes under <see
    /// cref="Namespace"/>.</summary>
    public string Host => _server.Host;

    /// <summary>This test's first path component on the registry (also its GAR project, see <see
    /// cref="GarArguments"/>).</summary>
    public string Namespace { get; }

    /// <summary>A fresh namespace on the assembly's open registry.</summary>
    public static async Task<SharedRegistry> OpenAsync() => new(await First.Value);

    /// <summary>A fresh namespace on a second open registry of the assembly, for copies between two
    /// registries.</summary>
    public static async Task<SharedRegistry> OpenOtherAsync() => new(await Second.Value);

    /// <summary><c>&lt;namespace&gt;/path</c>: a repository name for a client bound to <see cref="Host"/>.</summary>
    public string Repository(string path) => $"{Namespace}/{path}";

    /// <summary><c>host/&lt;namespace&gt;/path</c>: a full repository reference (add <c>:tag</c> or
    /// <c>@digest</c>).</summary>
    public string Reference(string path) => $"{Host}/{Namespace}/{path}";

    /// <summary>A build's GAR destination on this namespace (see <see cref="LocalGar.Arguments"/>).</summary>
    public string[] GarArguments(string? purpose = "release", int? timeoutSeconds = 10) =>
        LocalGar.Arguments(Host, Namespace, purpose, timeoutSeconds);

    /// <summary>Where a build's GAR destination puts <paramref name="image"/>:
    /// <c>host/&lt;namespace&gt;/images/image</c>.</summary>
    public string GarReference(string image) => Reference($"{LocalGar.Repository}/{image}");

    /// <summary>This namespace's repositories that hold a manifest ("ns/images/svc"), read from the registry's storage;
    /// nothing outside the namespace is looked at.</summary>
    public IReadOnlyList<string> RepositoriesWithManifests()
    {
        var repositories = Path.Combine(_server.StorageDirectory, "docker", "registry", "v2", "repositories");
        var mine = Path.Combine(repositories, Namespace);
        if (!Directory.Exists(mine))
            return [];
        return Directory
            .GetDirectories(mine, "_manifests", SearchOption.AllDirectories)
            .Select(d => Path.GetRelativePath(repositories, Path.GetDirectoryName(d)!))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>True once anything (a blob, an upload, a manifest) was pushed under this namespace.</summary>
    public bool AnythingPushed =>
        Directory.Exists(Path.Combine(_server.StorageDirectory, "docker", "registry", "v2", "repositories", Namespace));

    public override string ToString() => Reference("");

    private static async Task<RegistryServer> StartForProcessAsync()
    {
        var server = await RegistryServer.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        StopWhenTheProcessDies(server);
        return server;
    }

    /// <summary>A test host is often ended without ProcessExit: a detached watchdog then stops the registry (found by
    /// its own config file, unique to it) and deletes its folder, so no registry outlives its run.</summary>
    private static void StopWhenTheProcessDies(RegistryServer server)
    {
        // "serve $d/" is only in the registry's command line, not in this script's own.
        const string script =
            "while kill -0 \"$1\" 2>/dev/null; do sleep 2; done; d=\"$2\"; pkill -f -- \"serve $d/\"; rm -rf -- \"$d\"";
        var start = new ProcessStartInfo(
            "sh",
            ["-c", script, "watchdog", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), server.Directory]
        )
        {
            UseShellExecute = false,
            RedirectStandardInput = true, // not the test host's stdin
        };
        using var watchdog = Process.Start(start);
    }
}
