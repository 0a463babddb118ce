using Pipeline.Quality.Testing;
using Pipeline.Testing;
using Pipeline.Testing.Quality;

namespace Pipeline.Quality.Tests.Testing;

/// <summary>Projects given in order: one compile, then each project from that build, side by side.</summary>
public sealed class SideBySideRunTests
{
    [Fact]
    public async Task Compiles_once_then_runs_each_project_from_that_build_with_its_own_results_and_coverage()
    {
        using var repository = new FixtureRepository("two-projects");
        var log = new RecordingLogger();
        var results = repository.File("artifacts/test-results");
        string[] projects =
        [
            repository.File("Words.Tests/Words.Tests.csproj"),
            repository.File("Calc.Tests/Calc.Tests.csproj"),
        ];

        var report = await new DotnetTestRunner(log).RunAsync(
            new TestRunSettings(repository.Solution, results)
            {
                WorkingDirectory = repository.Path,
                Projects = projects,
                ProjectsAtOnce = 2,
            }
        );

        Assert.True(report.Succeeded, log.Text);
        Assert.Equal(["Calc.Tests", "Words.Tests"], report.Projects.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(2, report.CoverageFiles.Count);
        var commands = log.Lines.Where(l => l.StartsWith("Debug: > dotnet ", StringComparison.Ordinal)).ToList();
        Assert.Single(commands, c => c.Contains("dotnet build", StringComparison.Ordinal));
        var tests = commands.Where(c => c.Contains("dotnet test", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, tests.Count);
        Assert.All(tests, c => Assert.Contains("--no-build", c, StringComparison.Ordinal));
        Assert.Contains("Words.Tests", tests[0], StringComparison.Ordinal); // started in the order given
    }

    [Fact]
    public async Task A_project_that_does_not_compile_stops_the_run_before_any_test_with_the_build_exit_code()
    {
        using var repository = new FixtureRepository("two-projects");
        File.AppendAllText(repository.File("Calc/Calculator.cs"), "\nthis does not compile\n");
        var log = new RecordingLogger();

        var report = await new DotnetTestRunner(log).RunAsync(
            new TestRunSettings(repository.Solution, repository.File("artifacts/test-results"))
            {
                WorkingDirectory = repository.Path,
                Projects =
                [
                    repository.File("Calc.Tests/Calc.Tests.csproj"),
                    repository.File("Words.Tests/Words.Tests.csproj"),
                ],
            }
        );

        Assert.NotEqual(0, report.ExitCode);
        Assert.Empty(report.Projects);
        Assert.DoesNotContain(log.Lines, l => l.Contains("> dotnet test", StringComparison.Ordinal));
    }
}
