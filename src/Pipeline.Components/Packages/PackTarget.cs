using NuGet.Versioning;
using Pipeline.Components.Shared;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Engine.Paths;
using Pipeline.Engine.Preflight;
using Pipeline.Engine.Results;
using Pipeline.Git.CalVer;
using Pipeline.Git.Cli;
using Pipeline.Processes;

namespace Pipeline.Components.Packages;

/// <summary>What the Pack target does.</summary>
internal static class PackTarget
{
    public static void Check(IPack build, PreflightChecks checks)
    {
        if (build.PackageVersion is { Length: > 0 } version && !NuGetVersion.TryParse(version, out _))
        {
            checks.Fail(
                $"{checks.Describe(nameof(IPack.PackageVersion))}: '{version}' "
                    + $"is not a NuGet version (e.g. 26.12.5.1 or 1.2.3-beta.1)"
            );
        }

        foreach (var project in build.PackProjects)
        {
            if (!File.Exists(build.RootDirectory / project))
                checks.Fail($"{checks.Describe(nameof(IPack.PackProjects))}: {project} does not exist");
        }
    }

    /// <summary>The version this run packs: <see cref="IPack.PackageVersion"/> when set, else what HEAD's CalVer tags
    /// give.</summary>
    public static (string Version, bool IsRelease) VersionFor(IPack build)
    {
        if (build.PackageVersion is { Length: > 0 } explicitVersion)
            return (explicitVersion, !NuGetVersion.Parse(explicitVersion).IsPrerelease);
        var zone = build is IHazReleaseTag calver
            ? ReleaseCalendar.ResolveZone(calver.ReleaseTimeZone, "--release-time-zone")
            : TimeZoneInfo.Utc;
        try
        {
            var resolved = new PackageVersionResolver(ReleaseGit.Open(build.RootDirectory))
                .ResolveAsync(zone: zone)
                .GetAwaiter()
                .GetResult();
            return (resolved.Version, resolved.IsRelease);
        }
        catch (GitException e)
        {
            throw new BuildFailure($"Pack: the package version comes from git, which failed: {e.Message}", inner: e);
        }
    }

    public static async Task RunAsync(IPack build)
    {
        var (version, isRelease) = VersionFor(build);
        var projects =
            build.PackProjects.Length > 0
                ? build.PackProjects.Select(p => build.RootDirectory / p).ToList()
                : [build.SolutionFile];
        var target = build.PackagesDirectory;
        // Packed beside the folder and swapped in whole: a failed pack leaves no half set, and no stale version
        // survives.
        var staging = target.Parent / $".packages-{Guid.NewGuid():N}";
        try
        {
            // Zip entries carry HEAD's commit time instead of the clock's: with the compiler's determinism, bytes
            // depend on the commit only.
            var committed = await ReleaseGit
                .Open(build.RootDirectory)
                .Cli.ReadAsync("show", "-s", "--format=%ct", "HEAD");
            foreach (var project in projects)
                await PackAsync(build, project, staging, version, committed);
            var packed = Collect(staging, target);
            if (packed.Count == 0)
            {
                throw new BuildFailure(
                    $"Pack: "
                        + $"{string.Join(", ", projects.Select(p => p.RelativeTo(build.RootDirectory)))} "
                        + $"produced no package (every project has IsPackable=false?)"
                );
            }

            if (Directory.Exists(target))
                Directory.Delete(target, recursive: true);
            Directory.Move(staging, target);
            build.SetResult(() => build.PackedPackages, new PackedPackages(version, isRelease, packed));
            Log.Result(
                $"Pack: {packed.Count} package(s) {version}{(isRelease ? "" : " (pre-release)")} in "
                    + $"{target.RelativeTo(build.RootDirectory)}/: "
                    + $"{string.Join(", ", packed.Select(p => p.Id))}"
            );
            StepOutputs.Set("package-version", version);
            Summary.Append($"**Packages** `{version}`: {string.Join(", ", packed.Select(p => $"`{p.Id}`"))}");
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
    }

    private static async Task PackAsync(
        IPack build,
        AbsolutePath project,
        AbsolutePath output,
        string version,
        string timestamp
    )
    {
        var request = new ProcessRequest(
            "dotnet",
            [
                "pack",
                project,
                "-c",
                "Release",
                "-o",
                output,
                "-nologo",
                "-clp:NoSummary;ErrorsOnly",
                $"-p:Version={version}",
                // Source paths mapped to /_/ and SourceLink on: the same commit packs to the same bytes on any machine.
                "-p:ContinuousIntegrationBuild=true",
                $"-p:DeterministicTimestamp={timestamp}",
            ]
        )
        {
            WorkingDirectory = build.RootDirectory,
            Timeout = TimeSpan.FromMinutes(20),
        };
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(request.LoggingTo(Log.Logger, echoOutput: false));
        }
        catch (ProcessException e)
        {
            throw new BuildFailure($"Pack: {e.Message}", inner: e);
        }

        if (result.ExitCode != 0)
        {
            var errors = result
                .StandardOutput.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Where(l => l.Contains(": error ", StringComparison.Ordinal))
                .Distinct()
                .ToList();
            foreach (var error in errors.Skip(1).Take(20))
                Log.Error(error);
            throw new BuildFailure(
                $"Pack: dotnet pack {project.RelativeTo(build.RootDirectory)} failed "
                    + $"(exit code {result.ExitCode}): {errors.FirstOrDefault() ?? result.Tail(1)}"
            );
        }
    }

    /// <summary>The packages in <paramref name="staging"/>, named as they will be once the folder is moved to <paramref
    /// name="target"/>.</summary>
    private static List<PackedPackage> Collect(AbsolutePath staging, AbsolutePath target)
    {
        var packed = new List<PackedPackage>();
        foreach (var file in Directory.EnumerateFiles(staging, "*.nupkg").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            var symbols = Path.ChangeExtension(file, ".snupkg");
            packed.Add(
                new PackedPackage(
                    PackageFile.IdOf(file),
                    target / name,
                    File.Exists(symbols) ? target / Path.GetFileName(symbols) : null
                )
            );
        }

        return packed;
    }
}
