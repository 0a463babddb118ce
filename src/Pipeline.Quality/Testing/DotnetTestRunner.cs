using Microsoft.Extensions.Logging;
using Pipeline.Processes;

namespace Pipeline.Quality.Testing;

/// <summary>
/// Runs the test projects of a solution with coverlet's collector in the same run, then reads the TRX files into one
/// report and writes a JUnit XML file and a TRX file per project into the results directory. Given the projects in
/// order, it compiles once and starts them side by side in that order (the longest first keeps the run short: MSBuild
/// alone starts the projects with the most references last, and those tend to be the slowest).
/// </summary>
public sealed class DotnetTestRunner(ILogger logger)
{
    /// <summary>
    /// Variables a parent <c>dotnet test</c>/MSBuild process leaves behind; inherited, they make a nested run
    /// use the parent's MSBuild node or test host settings (seen when the build itself runs under a test).
    /// </summary>
    private static readonly string[] InheritedMsBuildVariables =
    [
        "MSBUILD_EXE_PATH",
        "MSBuildExtensionsPath",
        "MSBuildSDKsPath",
        "MSBuildLoadMicrosoftTargetsReadOnly",
        "DOTNET_HOST_PATH",
        "VSTEST_HOST_DEBUG",
        "VSTEST_RUNNER_DEBUG",
        "TESTINGPLATFORM_DEFAULT_HANG_TIMEOUT",
    ];

    /// <param name="progress">Receives VSTest's one-line summary of each test project as it finishes.</param>
    public async Task<TestRunReport> RunAsync(
        TestRunSettings settings,
        IProgress<string>? progress = null,
        CancellationToken cancellationToken = default
    )
    {
        var results = Path.GetFullPath(settings.ResultsDirectory);
        // Stale TRX or coverage files from an earlier run would be counted again.
        if (Directory.Exists(results) && !settings.KeepResults)
            Directory.Delete(results, recursive: true);
        Directory.CreateDirectory(results);

        var environment = InheritedMsBuildVariables.ToDictionary(v => v, _ => (string?)null);
        // Keep the console quiet about telemetry and first-run banners; keep failures and summaries.
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in settings.Environment)
            environment[key] = value;

        var (exitCode, duration) =
            settings.Projects.Count > 1
                ? await RunSideBySideAsync(settings, results, environment, progress, cancellationToken)
                : await RunOnceAsync(
                    Request(settings, Arguments(settings, results), environment, progress),
                    cancellationToken
                );

        var projects = new List<TestProjectResult>();
        foreach (var trx in Directory.EnumerateFiles(results, "*.trx").Order(StringComparer.Ordinal))
        {
            var project = TrxReader.Read(trx, settings.WorkingDirectory);
            // One readable file name per project; a second target framework of the same project gets a suffix.
            var baseName = UniqueName(project.Name, projects);
            var trxPath = Path.Combine(results, baseName + ".trx");
            if (!string.Equals(trx, trxPath, StringComparison.Ordinal))
                File.Move(trx, trxPath, overwrite: true);
            var junitPath = Path.Combine(results, baseName + ".junit.xml");
            project = project with { TrxPath = trxPath, JUnitPath = junitPath };
            JUnitWriter.Write(project, junitPath);
            projects.Add(project);
        }

        return new TestRunReport(exitCode, projects, FindCoverageFiles(results), duration);
    }

    /// <summary>One compile of the whole target, then every project from that build, in the given order, N at a
    /// time.</summary>
    private async Task<(int ExitCode, TimeSpan Duration)> RunSideBySideAsync(
        TestRunSettings settings,
        string results,
        Dictionary<string, string?> environment,
        IProgress<string>? progress,
        CancellationToken cancellationToken
    )
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var build = await RunOnceAsync(
            Request(settings, BuildArguments(settings), environment, progress: null),
            cancellationToken
        );
        if (build.ExitCode != 0)
            return (build.ExitCode, clock.Elapsed);

        using var lanes = new SemaphoreSlim(
            settings.ProjectsAtOnce > 0 ? settings.ProjectsAtOnce : Environment.ProcessorCount
        );
        var runs = settings
            .Projects.Select(async project =>
            {
                // Tasks are created in order and each waits for a lane at once, so lanes are granted in the given
                // order.
                await lanes.WaitAsync(cancellationToken);
                try
                {
                    return (
                        await RunOnceAsync(
                            Request(
                                settings,
                                Arguments(settings with { Target = project }, results, noBuild: true),
                                environment,
                                progress
                            ),
                            cancellationToken
                        )
                    ).ExitCode;
                }
                finally
                {
                    lanes.Release();
                }
            })
            .ToList();
        var codes = await Task.WhenAll(runs);
        return (codes.FirstOrDefault(c => c != 0), clock.Elapsed);
    }

    private static async Task<(int ExitCode, TimeSpan Duration)> RunOnceAsync(
        ProcessRequest request,
        CancellationToken cancellationToken
    )
    {
        var output = await ProcessRunner.RunAsync(request, cancellationToken);
        return (output.ExitCode, output.Duration);
    }

    private ProcessRequest Request(
        TestRunSettings settings,
        IReadOnlyList<string> arguments,
        Dictionary<string, string?> environment,
        IProgress<string>? progress
    )
    {
        var request = new ProcessRequest("dotnet", arguments)
        {
            WorkingDirectory = settings.WorkingDirectory,
            Environment = environment,
        }.LoggingTo(logger);
        var log = request.OnOutputLine;
        return request with
        {
            OnOutputLine = line =>
            {
                log?.Invoke(line);
                // "Passed!  - Failed: 0, Passed: 3, ... - Calc.Tests.dll (net10.0)": one project done.
                if (line.Contains("- Failed:", StringComparison.Ordinal))
                    progress?.Report(line.Trim());
            },
        };
    }

    /// <summary>
    /// The copy of a project's coverage file the TRX logger keeps in the run's deployment folder
    /// (<c>&lt;results&gt;/&lt;runDeploymentRoot&gt;/In/&lt;agent&gt;/coverage.cobertura.xml</c>): the one file known
    /// to belong to that project.
    /// </summary>
    public static string? CoverageFileOf(string trxPath)
    {
        var run = System.Xml.Linq.XDocument.Load(trxPath).Root;
        var deployment = run
            ?.Descendants()
            .FirstOrDefault(e => e.Name.LocalName == "Deployment")
            ?.Attribute("runDeploymentRoot")
            ?.Value;
        var href = run
            ?.Descendants()
            .Where(e => e.Name.LocalName == "A")
            .Select(e => e.Attribute("href")?.Value)
            .FirstOrDefault(h => h?.EndsWith("coverage.cobertura.xml", StringComparison.Ordinal) == true);
        if (deployment is null || href is null)
            return null;
        var path = Path.Combine(Path.GetDirectoryName(trxPath)!, deployment, "In", href.Replace('\\', '/'));
        return File.Exists(path) ? path : null;
    }

    /// <summary>
    /// Coverlet's collector writes <c>&lt;results&gt;/&lt;guid&gt;/coverage.cobertura.xml</c> per test project; the TRX
    /// logger copies each into its own <c>In/</c> folder too, so only the first level counts.
    /// </summary>
    public static IReadOnlyList<string> FindCoverageFiles(string resultsDirectory) =>
        !Directory.Exists(resultsDirectory)
            ? []
            : Directory
                .EnumerateDirectories(resultsDirectory)
                .Select(dir => Path.Combine(dir, "coverage.cobertura.xml"))
                .Where(File.Exists)
                .Order(StringComparer.Ordinal)
                .ToList();

    internal static IReadOnlyList<string> BuildArguments(TestRunSettings settings) =>
        ["build", settings.Target, "--configuration", settings.Configuration];

    internal static IReadOnlyList<string> Arguments(
        TestRunSettings settings,
        string resultsDirectory,
        bool noBuild = false
    )
    {
        var args = new List<string>
        {
            "test",
            settings.Target,
            "--configuration",
            settings.Configuration,
            "--results-directory",
            resultsDirectory,
            // Default TRX names are unique per project even when projects finish in the same second.
            "--logger",
            "trx",
        };
        if (noBuild)
            args.Add("--no-build");
        if (settings.Filter is { Length: > 0 } filter)
            args.AddRange(["--filter", filter]);
        // coverlet.collector (referenced by the test projects): instruments in the test host, no second run.
        if (settings.CollectCoverage)
            args.AddRange(["--collect", "XPlat Code Coverage;Format=cobertura"]);
        args.AddRange(settings.ExtraArguments);

        return args;
    }

    private static string UniqueName(string name, List<TestProjectResult> done)
    {
        var candidate = name;
        for (var i = 2; done.Any(p => Path.GetFileNameWithoutExtension(p.TrxPath) == candidate); i++)
            candidate = $"{name}-{i}";
        return candidate;
    }
}
