using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Pipeline.Setup.Tests.Bootstrap;
using Pipeline.Testing;

namespace Pipeline.Setup.Tests.EndToEnd;

/// <summary>
/// This commit's packages in a local folder feed, packed once per test run and shared by every end-to-end test: each
/// src project is packed with <c>dotnet pack --no-build</c> from the outputs this test project's build already made
/// (the test project builds src/Pipeline first), so the feed costs seconds, not a second compile of the library.
/// The setup tool is installed from that feed once. Restores of the adopted repositories go to a package folder of this
/// run (the machine's global folder serves as a read-only fallback, so nothing is downloaded twice): the packages carry
/// the build's version (0.0.0-dev), and a stale copy of an earlier run in the global folder must never stand in for
/// them.
/// </summary>
public sealed class LocalFeed
{
    private static readonly Lazy<LocalFeed> Packed = new(Pack);

    private LocalFeed(string root, string version, TimeSpan took)
    {
        Root = root;
        Version = version;
        Took = took;
    }

    public static LocalFeed Shared => Packed.Value;

    /// <summary>The temp folder of this run: feed/, packages/ (the run's NuGet package folder), tools/
    /// (pipeline).</summary>
    public string Root { get; }

    public string Feed => Path.Combine(Root, "feed");

    public string Packages => Path.Combine(Root, "packages");

    public string SetupTool => Path.Combine(Root, "tools", "pipeline");

    public string Version { get; }

    /// <summary>Pack and tool install together (reported by the tests' output, for the CI time budget).</summary>
    public TimeSpan Took { get; }

    /// <summary>A nuget.config as a team using the feed would have it, plus the machine's package folder as a
    /// fallback.</summary>
    public string NuGetConfig =>
        $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="pipeline-local" value="{Feed}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine" value="{MachinePackages}" />
              </fallbackPackageFolders>
            </configuration>

            """;

    private static string MachinePackages =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static LocalFeed Pack()
    {
        var watch = Stopwatch.StartNew();
        var repository = ScriptSandbox.RepositoryRoot();
        // The test host is often ended without ProcessExit: feeds of runs more than six hours old are swept here
        // instead.
        foreach (
            var stale in Directory
                .GetDirectories(Path.GetTempPath(), "pipeline-feed-*")
                .Where(d => Directory.GetLastWriteTimeUtc(d) < DateTime.UtcNow.AddHours(-6))
        )
            TryDelete(stale);
        var feed = new TempFolder("pipeline-feed-"); // one feed for the test process, not one per test
        var root = feed.Path;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => feed.Dispose();
        var configuration =
            typeof(LocalFeed).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        // The version the outputs were built with is the one the tool writes into build/_build.csproj.
        var version = SetupPlan.Version;
        var projects = Directory
            .GetDirectories(Path.Combine(repository, "src"))
            .Select(d => Path.Combine(d, Path.GetFileName(d) + ".csproj"))
            .Where(File.Exists)
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(projects.Count >= 12, $"expected every src project, found {projects.Count}");
        // One solution filter of the src projects: one MSBuild run packs them all.
        var filter = Path.Combine(root, "src.slnf");
        File.WriteAllText(
            filter,
            JsonSerializer.Serialize(
                new
                {
                    solution = new
                    {
                        path = Path.Combine(repository, "Pipeline.sln"),
                        projects = projects.Select(p => Path.GetRelativePath(repository, p)).ToArray(),
                    },
                }
            )
        );
        var (exit, output) = Command.Run(
            "dotnet",
            [
                "pack",
                filter,
                "--no-build",
                "-c",
                configuration,
                "-o",
                Path.Combine(root, "feed"),
                "-nologo",
                "-v",
                "q",
                "-clp:NoSummary",
                $"-p:Version={version}",
            ],
            repository,
            deadline: TimeSpan.FromMinutes(5)
        );
        Assert.True(exit == 0, $"dotnet pack: {output}");
        Assert.True(
            Directory.GetFiles(Path.Combine(root, "feed"), "*.nupkg").Length == projects.Count,
            $"dotnet pack: not one package per project\n{output}"
        );

        var install = Command.Run(
            "dotnet",
            [
                "tool",
                "install",
                "--tool-path",
                Path.Combine(root, "tools"),
                "Pipeline.Setup",
                "--version",
                version,
                "--add-source",
                Path.Combine(root, "feed"),
            ],
            root,
            Isolated(Path.Combine(root, "packages")),
            TimeSpan.FromMinutes(3)
        );
        Assert.True(install.Exit == 0, $"dotnet tool install Pipeline.Setup: {install.Output}");
        return new LocalFeed(root, version, watch.Elapsed);
    }

    /// <summary>The variables that give a child process this run's package folder.</summary>
    public static Dictionary<string, string?> Isolated(string packages) => new() { ["NUGET_PACKAGES"] = packages };

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a leftover temp folder is harmless
        }
    }
}
