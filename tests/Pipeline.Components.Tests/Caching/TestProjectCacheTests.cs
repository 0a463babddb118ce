using Pipeline.Components.Tests.Quality;
using Pipeline.Testing;
using Pipeline.Testing.Quality;

namespace Pipeline.Components.Tests.Caching;

/// <summary>Test's cache per test project on a fixture with two test projects: real dotnet test, coverlet and
/// ReportGenerator.</summary>
public sealed class TestProjectCacheTests
{
    [Fact]
    public async Task Unchanged_projects_are_restored_with_their_counts_and_a_change_reruns_only_that_project()
    {
        using var repo = new FixtureRepository("two-projects");

        var cold = await BuildRun.RunAsync(new QualityBuild(), repo.Path, null, "Test");
        Assert.True(cold.ExitCode == 0, cold.Output);
        Assert.Contains("\nTests: 5 passed, 0 failed, 1 skipped\n", cold.Output, StringComparison.Ordinal);

        // Nothing changed: no test runs, the counts come back, Coverage reports on the restored coverage files.
        var warm = await BuildRun.RunAsync(
            new QualityBuild(),
            repo.Path,
            null,
            "Coverage",
            "--coverage-critical-paths",
            "Calc"
        );
        Assert.True(warm.ExitCode == 0, warm.Output);
        Assert.DoesNotContain("Test run for ", warm.Output, StringComparison.Ordinal);
        Assert.Matches(@"Test: cached \(key [0-9a-f]{12}, from local cache, saved \d+\.\d s\)", warm.Output);
        Assert.Matches(@"Calc\.Tests: 3 passed, 0 failed, 1 skipped in \d+\.\ds \(cached\)", warm.Output);
        Assert.Contains("\nTests: 5 passed, 0 failed, 1 skipped\n", warm.Output, StringComparison.Ordinal);
        Assert.Matches(@"Test\s+cached\s+\S+s\s+key [0-9a-f]{12}", warm.Output);
        Assert.Contains("Coverage: 100.0% (", warm.Output, StringComparison.Ordinal);

        // One project changes: only it runs; the other's results are restored and counted.
        File.AppendAllText(
            repo.File("Words.Tests/WordsTests.cs"),
            "\npublic class MoreWordsTests\n{\n    [Fact]\n    public void "
                + "Lower() => Assert.Equal(\"a\", \"A\".ToLowerInvariant());\n}\n"
        );
        var changed = await BuildRun.RunAsync(new QualityBuild(), repo.Path, null, "Test", "--why-miss", "Test");
        Assert.True(changed.ExitCode == 0, changed.Output);
        Assert.Contains("Test: 1 project(s) cached, running 1: Words.Tests", changed.Output, StringComparison.Ordinal);
        Assert.Single(
            changed.Output.Split('\n'),
            l =>
                l.StartsWith("Test run for ", StringComparison.Ordinal)
                && l.Contains("Words.Tests.dll", StringComparison.Ordinal)
        );
        Assert.Contains(
            "why-miss Test/Words.Tests: 1 entry differs from the last hit",
            changed.Output,
            StringComparison.Ordinal
        );
        Assert.Contains("~ file:Words.Tests/WordsTests.cs:", changed.Output, StringComparison.Ordinal);
        Assert.Contains("\nTests: 6 passed, 0 failed, 1 skipped\n", changed.Output, StringComparison.Ordinal);
    }
}
