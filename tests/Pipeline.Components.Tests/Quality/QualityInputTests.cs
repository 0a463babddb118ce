using Pipeline.Testing;
using Pipeline.Testing.Quality;

namespace Pipeline.Components.Tests.Quality;

/// <summary>Bad inputs fail with one line naming where the value came from; none of these run a test.</summary>
public sealed class QualityInputTests
{
    [Fact]
    public async Task A_threshold_that_is_not_a_percentage_names_its_source()
    {
        using var repo = new FixtureRepository("passing");
        var run = await BuildRun.RunAsync(
            new QualityBuild(),
            repo.Path,
            null,
            "Coverage",
            "--skip",
            "Test",
            "--coverage-threshold",
            "120"
        );
        Assert.Equal(2, run.ExitCode); // preflight: refused before any target runs
        Assert.Matches(@"--coverage-threshold[^\n]*: 120 is not a percentage \(0–100\)", run.Output);
    }

    [Fact]
    public async Task A_malformed_critical_path_from_config_env_names_the_file()
    {
        using var repo = new FixtureRepository("passing");
        Directory.CreateDirectory(repo.File("deploy"));
        File.WriteAllText(repo.File("deploy/config.env"), "# critical paths\nCOVERAGE_CRITICAL_PATHS=Calc,Calc|Core\n");
        var run = await BuildRun.RunAsync(new QualityBuild(), repo.Path, null, "Coverage", "--skip", "Test");
        Assert.Equal(1, run.ExitCode);
        Assert.Matches(
            @"Parameter CoverageCriticalPaths from deploy/config\.env[^\n]*: 'Calc\|Core' "
                + @"is neither an assembly or namespace name nor a file path or glob",
            run.Output
        );
    }

    [Fact]
    public async Task Coverage_without_a_test_run_says_so_instead_of_reporting_nothing()
    {
        using var repo = new FixtureRepository("passing");
        var run = await BuildRun.RunAsync(new QualityBuild(), repo.Path, null, "Coverage", "--skip", "Test");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(
            "No coverage data in artifacts/test-results/: Test did not run in this build",
            run.Output,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task Two_solutions_at_the_root_ask_for_one()
    {
        using var repo = new FixtureRepository("passing");
        File.Copy(repo.File("Passing.slnx"), repo.File("Other.sln"));
        var run = await BuildRun.RunAsync(new QualityBuild(), repo.Path, null, "Test");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Several solutions in ", run.Output, StringComparison.Ordinal);
        Assert.Contains("(Other.sln, Passing.slnx); pick one with --solution", run.Output, StringComparison.Ordinal);

        var missing = await BuildRun.RunAsync(new QualityBuild(), repo.Path, null, "Test", "--solution", "Nope.sln");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains(
            "Parameter Solution: 'Nope.sln' does not exist under ",
            missing.Output,
            StringComparison.Ordinal
        );
    }
}
