using Pipeline.Components.Setup;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Paths;
using Pipeline.Engine.Results;
using Pipeline.Engine.Targets;

namespace Pipeline.Components.Quality;

/// <summary>
/// Compiles the solution once and runs its test projects side by side, the longest first: TRX and JUnit XML per project
/// in <c>artifacts/test-results/</c>, an annotation per failed test, and the closing line
/// <c>Tests: N passed, N failed, N skipped</c>. When the build also implements <see cref="ICoverage"/>,
/// coverlet collects coverage in this same run, and Coverage only reports on it.
/// </summary>
public interface ITest : IHazSolution
{
    [Parameter("dotnet test --filter expression, e.g. Category!=Slow")]
    string? TestFilter => this.Get(() => TestFilter);

    [Parameter("Build configuration the tests run in")]
    string TestConfiguration => this.Get(() => TestConfiguration, "Debug");

    [Parameter(
        "Files every test project's result depends on besides its own and its "
            + "references' folders (globs relative to the root): test data, files the tests read"
    )]
    string[] TestInputs => this.Get(() => TestInputs, []);

    /// <summary>
    /// Test projects running side by side, the longest first, after one compile. Tests that wait on processes,
    /// registries and engines leave cores idle, so more than one per core can pay; 0: one per core.
    /// </summary>
    [Parameter(
        "Test projects run side by side after one compile, the longest first; 0: one per core",
        Min = 0,
        Max = 32
    )]
    int TestProjectsAtOnce => this.Get(() => TestProjectsAtOnce, 0);

    AbsolutePath TestResultsDirectory => ArtifactsDirectory / "test-results";

    /// <summary>What Test ran in this run (set also when tests failed); null before it ran.</summary>
    TestTotals? TestTotals => this.Result(() => TestTotals);

    Target Test =>
        _ =>
            _.Description(
                    "Runs the solution's tests (TRX + JUnit in "
                        + "artifacts/test-results; coverage too when Coverage is in the build)"
                )
                // tests of image and registry code need podman, skopeo, docker-registry
                .TryDependsOn<ISystemTools>(x => x.SystemTools)
                .Produces("artifacts/test-results/*.trx", "artifacts/test-results/*.junit.xml")
                .Uses(SharedResources.SolutionBuild)
                // Per test project (see TestProjectCache): these plus the project's folder and its references' folders.
                .Inputs(i =>
                    i.Files(
                            "global.json",
                            "*.sln",
                            "*.slnx",
                            "**/Directory.Build.props",
                            "**/Directory.Build.targets",
                            "**/Directory.Packages.props",
                            "**/NuGet.config",
                            "**/nuget.config"
                        )
                        .Files(() => TestInputs)
                        .Parameters(nameof(TestFilter), nameof(TestConfiguration))
                        .Tools("dotnet", "podman", "skopeo", "docker-registry", "git", "node")
                )
                .CachedInParts()
                .Produces(() => TestTotals)
                .Executes(() => TestTarget.RunAsync(this, collectCoverage: this is ICoverage));
}
