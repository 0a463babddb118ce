using Pipeline.Quality.Testing;
using Pipeline.Testing;
using Pipeline.Testing.Quality;

namespace Pipeline.Components.Tests.Quality;

/// <summary>Test on a fixture with a failing test, on a GitHub Actions host. Real dotnet test, coverlet and
/// ReportGenerator; one class each so they run side by side.</summary>
public sealed class FailingTestTargetTests
{
    [Fact]
    public async Task A_failing_test_fails_Test_with_an_annotation_on_its_line_and_the_total()
    {
        using var repo = new FixtureRepository("failing");
        var stepSummary = repo.File("step-summary.md");
        var outputs = repo.File("outputs.txt");
        var gitHub = new Dictionary<string, string>
        {
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_STEP_SUMMARY"] = stepSummary,
            ["GITHUB_OUTPUT"] = outputs,
            ["GITHUB_REF"] = "refs/heads/main",
            ["GITHUB_EVENT_NAME"] = "push",
        };

        var run = await BuildRun.RunAsync(new TestOnlyBuild(), repo.Path, gitHub, "Test");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(
            "::error "
                + "file=Greeter.Tests/GreeterTests.cs,line=15::Greeter.Tests.GreeterTests.ShoutsWhenAsked "
                + "failed: Assert.Equal() Failure: Strings differ",
            run.Output,
            StringComparison.Ordinal
        );
        Assert.Contains("\nTests: 2 passed, 1 failed, 0 skipped\n", run.Output, StringComparison.Ordinal);
        Assert.Contains("1 test(s) failed; results in artifacts/test-results/", run.Output, StringComparison.Ordinal);
        Assert.Contains("| Greeter.Tests | 2 | 1 | 0 |", File.ReadAllText(stepSummary), StringComparison.Ordinal);
        Assert.Contains("tests-failed=1", File.ReadAllText(outputs), StringComparison.Ordinal);
        // Test without ICoverage in the build collects nothing: no instrumentation cost.
        Assert.Empty(DotnetTestRunner.FindCoverageFiles(repo.File("artifacts/test-results")));
        // The run report's tests section, from the same TRX: the project's totals, the failure with its line, the
        // slowest.
        var report = File.ReadAllText(repo.File("artifacts/report/index.html"));
        Assert.Contains(
            "<tr class=\"failed\"><td>Greeter.Tests</td><td>2</td><td>1</td><td>0</td>",
            report,
            StringComparison.Ordinal
        );
        Assert.Matches(
            @"<tr class=""failed""><td>Greeter\.Tests\.GreeterTests\.ShoutsWhenAs"
                + @"ked</td><td>Greeter\.Tests</td><td>Assert\.Equal\(\) Failure: Strings "
                + @"differ[^<]*</td><td>Greeter\.Tests/GreeterTests\.cs:15</td></tr>",
            report
        );
        Assert.Equal(
            3,
            System
                .Text.RegularExpressions.Regex.Matches(
                    report[report.IndexOf("<caption>The 20 slowest</caption>", StringComparison.Ordinal)..]
                        .Split("</table>")[0],
                    "<tr>"
                )
                .Count - 1
        );
        Assert.Contains(
            "<td>Greeter.Tests.GreeterTests.ShoutsWhenAsked</td><td>failing (no earlier run)</td>",
            report,
            StringComparison.Ordinal
        );
    }
}
