using Pipeline.Testing;
using Xunit.Abstractions;

namespace Pipeline.Setup.Tests.EndToEnd;

/// <summary>
/// Fixture (a), tests/data/adopt/ledger: a .NET library with an xunit project, a solution named Bookkeeping.sln,
/// central package management and a strict .editorconfig of its own. The library comes only from the local feed.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class LibraryAdoptionTests(ITestOutputHelper log)
{
    /// <summary>Build code as it was written when every engine type was in <c>Pipeline.Engine</c>: a target, a
    /// parameter, a path, the log, a build failure.</summary>
    private const string EarlierReleaseFile = """
        using Pipeline.Engine;

        internal static class EarlierRelease
        {
            [Parameter("Whom to greet")]
            public static readonly string Who = "world";

            public static Target Greet => _ => _.Executes(() => Log.Info($"Hello, {Who}!"));

            public static AbsolutePath Here => new(Environment.CurrentDirectory);

            public static BuildFailure Failure => new("never thrown");
        }

        """;

    [GitFact]
    public void A_library_adopts_Pipeline_from_the_feed_and_tests_covers_and_releases_through_build_sh_and_build_ps1()
    {
        var feed = LocalFeed.Shared;
        log.WriteLine($"feed: {feed.Took.TotalSeconds:0.0} s to pack and install the setup tool (once per test run)");
        using var repo = new AdoptedRepository("ledger", feed);

        // --generate-workflows: the new build's first run (it compiles here) writes .github/workflows.
        var started = DateTime.UtcNow;
        var (exit, output) = repo.Setup("--generate-workflows");
        log.WriteLine(
            $"pipeline setup --generate-workflows (first compile of the build included): "
                + $"{(DateTime.UtcNow - started).TotalSeconds:0.0} s"
        );
        Assert.True(exit == 0, output);
        Assert.Contains("wrote build/Build.cs", output);
        var workflow = File.ReadAllText(Path.Combine(repo.Root, ".github", "workflows", "pr.yml"));
        Assert.Contains("pull_request:", workflow);
        Assert.Contains("run: ./build.sh Test", workflow);
        var project = repo.Read("build/_build.csproj");
        Assert.Contains($"<PackageReference Include=\"Pipeline\" Version=\"{feed.Version}\" />", project);
        Assert.DoesNotContain("ProjectReference", project);
        // The engine's namespaces (one per folder) reach the build as the Pipeline package's implicit usings: the
        // generated Build.cs names none, and a file written for the single Pipeline.Engine namespace of earlier
        // releases still compiles (./build.sh below compiles both).
        Assert.DoesNotContain("using Pipeline.Engine", repo.Read("build/Build.cs"));
        repo.Write("build/EarlierRelease.cs", EarlierReleaseFile);
        repo.Commit("pipeline setup");

        started = DateTime.UtcNow;
        (exit, output) = repo.BuildSh("Test", "Coverage");
        log.WriteLine($"./build.sh Test Coverage: {(DateTime.UtcNow - started).TotalSeconds:0.0} s");
        Assert.True(exit == 0, output);
        Assert.Contains("Testing Bookkeeping.sln", output);
        Assert.Contains("Tests: 3 passed, 0 failed, 0 skipped", output);
        // Coverage reaches ReportGenerator through the package (buildTransitive), not through a ProjectReference.
        Assert.True(
            File.Exists(Path.Combine(repo.Root, "artifacts", "coverage", "Cobertura.xml")),
            $"no coverage report in artifacts/coverage\n{output}"
        );
        // The build was compiled against the packages this run restored from the feed, not against anything in src/.
        Assert.True(
            File.Exists(
                Path.Combine(feed.Packages, "pipeline.engine", feed.Version, "lib", "net10.0", "Pipeline.Engine.dll")
            ),
            "Pipeline.Engine was not restored from the local feed"
        );
        Assert.True(File.Exists(Path.Combine(repo.Root, ".nuke", "temp", "build-bin", "Pipeline.Components.dll")));
        var compiled = File.GetLastWriteTimeUtc(Path.Combine(repo.Root, ".nuke", "temp", "build-bin", "_build.dll"));
        var stamp = repo.Read(".nuke/temp/build.stamp");

        started = DateTime.UtcNow;
        (exit, output) = repo.BuildPs1("Test");
        log.WriteLine($"pwsh build.ps1 Test: {(DateTime.UtcNow - started).TotalSeconds:0.0} s");
        Assert.True(exit == 0, output);
        Assert.Contains("Test", output);
        Assert.DoesNotContain("did not compile", output);
        // One stamp format: build.ps1 accepts what build.sh compiled and runs it without compiling again.
        Assert.Equal(stamp, repo.Read(".nuke/temp/build.stamp"));
        Assert.Equal(
            compiled,
            File.GetLastWriteTimeUtc(Path.Combine(repo.Root, ".nuke", "temp", "build-bin", "_build.dll"))
        );
        Assert.Equal("", repo.Git("status", "--porcelain", "--", "src", "test", "Bookkeeping.sln"));

        // A switch before the target, as a user types it: the plan of Release, nothing run.
        (exit, output) = repo.BuildPs1("--plan", "Release");
        Assert.True(exit == 0, output);
        Assert.Contains("Execution plan:", output);
        Assert.Contains("TagCalVer", output);
        Assert.Contains("Release", output);
        Assert.Empty(repo.Git("tag", "--list", "v*"));

        // The release of a library: a CalVer tag, the library's own package of that version, a local release record
        // with it.
        started = DateTime.UtcNow;
        (exit, output) = repo.BuildSh("Release");
        log.WriteLine($"./build.sh Release: {(DateTime.UtcNow - started).TotalSeconds:0.0} s");
        Assert.True(exit == 0, output);
        var tag = Assert.Single(repo.Git("tag", "--list", "v*").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        // The package version is the tag's numbers as NuGet normalises them (v26.12.06.1 -> 26.12.6.1: no leading
        // zeros).
        var version = string.Join(
            '.',
            tag[1..].Split('.').Select(part => int.Parse(part, System.Globalization.CultureInfo.InvariantCulture))
        );
        var package = $"Ledger.{version}.nupkg";
        Assert.True(
            File.Exists(Path.Combine(repo.Root, "artifacts", "packages", package)),
            $"{package} was not packed\n{output}"
        );
        Assert.True(
            File.Exists(Path.Combine(repo.Root, "artifacts", "releases", tag, "assets", package)),
            $"{package} is not attached to the local release {tag}\n{output}"
        );
        Assert.Contains("no GitHub token, so nothing was published", output);
    }
}
