using System.Diagnostics;
using System.Text;
using Pipeline.Engine.Caching;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Engine.Results;
using Pipeline.Quality.Testing;

namespace Pipeline.Components.Quality;

/// <summary>What the Test target does, kept out of the interface so the component reads as a declaration.</summary>
internal static class TestTarget
{
    public static async Task RunAsync(ITest build, bool collectCoverage)
    {
        var solution = build.SolutionFile;
        var results = build.TestResultsDirectory;
        var cached = TargetCache.Enabled
            ? await TestProjectCache.RestoreAsync(build, solution, results, collectCoverage)
            : null;
        var durations = build.TemporaryDirectory / "test-durations.json";
        var projects = TestProjectOrder.Order(
            cached?.Missed.Select(m => m.Project) ?? TestProjects.Find(solution, build.RootDirectory),
            build.RootDirectory,
            durations
        );
        var settings = new TestRunSettings(cached?.RunTarget ?? solution, results)
        {
            WorkingDirectory = build.RootDirectory,
            CollectCoverage = collectCoverage,
            Configuration = build.TestConfiguration,
            Filter = build.TestFilter,
            KeepResults = cached is not null,
            Projects =
                projects.Count > 1 ? projects.Select(p => (string)(build.RootDirectory / p.ProjectFile)).ToList() : [],
            ProjectsAtOnce = build.TestProjectsAtOnce,
        };

        TestRunReport report;
        var clock = Stopwatch.StartNew();
        if (cached is { Missed.Count: 0 })
        {
            report = TestProjectCache.ReadRestored(results, build.RootDirectory);
        }
        else
        {
            var changedOnly = cached is { Hits.Count: > 0 } ? $"{cached.Missed.Count} changed project(s) of " : "";
            using var bar = Progress.Start($"Testing {changedOnly}{solution.Name}");
            var finished = 0;
            // VSTest's line ends with "- Calc.Tests.dll (net10.0)": the status names the project that finished.
            var progress = new InlineProgress<string>(line =>
                bar.Report(
                    Interlocked.Increment(ref finished),
                    null,
                    line[(line.LastIndexOf(" - ", StringComparison.Ordinal) + 3)..] + " done"
                )
            );
            report = await new DotnetTestRunner(Log.Logger).RunAsync(settings, progress);
        }

        if (cached is not { Missed.Count: 0 })
            TestProjectOrder.Record(report.Projects, durations);
        foreach (var project in report.Projects)
        {
            Log.Info(
                project.Describe() + (cached?.Hits.Any(h => h.Project.Name == project.Name) == true ? " (cached)" : "")
            );
            foreach (var failure in project.Failures)
            {
                var message = failure.Message?.Split('\n', 2)[0].Trim() ?? "failed";
                Log.Error(
                    $"{failure.ClassName}.{failure.Name} failed: {message}",
                    failure.Location?.File,
                    failure.Location?.Line
                );
            }

            foreach (var error in project.RunErrors)
                Log.Error($"{project.Name}: {error}");
        }

        build.SetResult(
            () => build.TestTotals,
            new TestTotals(
                report.Passed,
                report.Failed,
                report.Skipped,
                report.Projects.Select(p => p.Name).ToList(),
                build.TestResultsDirectory
            )
        );
        Summary.Append(Markdown(report));
        StepOutputs.Set("tests-passed", report.Passed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        StepOutputs.Set("tests-failed", report.Failed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Log.Result(report.SummaryLine);
        if (cached is not null)
            await TestProjectCache.SaveAsync(cached, report, build.RootDirectory, results, clock.Elapsed);

        if (report.Failed > 0)
            throw new BuildFailure(
                $"{report.Failed} test(s) failed; results in "
                    + $"{build.TestResultsDirectory.RelativeTo(build.RootDirectory)}/"
            );
        if (report.Projects.Count == 0 && report.ExitCode != 0)
            throw new BuildFailure(
                $"dotnet exited with code {report.ExitCode} before any test ran (a build error? see the output above)"
            );
        if (!report.Succeeded)
            throw new BuildFailure(
                $"dotnet test exited with code {report.ExitCode} although no test "
                    + $"failed (a crashed test host or a project that did not build; see above)"
            );
        if (report.Projects.Count == 0)
            Log.Warn($"No test project ran in {solution.Name}");
    }

    private static string Markdown(TestRunReport report)
    {
        var text = new StringBuilder(
            "### Tests\n\n| Project | Passed | Failed | Skipped | Time |\n|---|---:|---:|---:|---:|\n"
        );
        foreach (var p in report.Projects)
            text.Append($"| {p.Name} | {p.Passed} | {p.Failed} | {p.Skipped} | {p.Duration.TotalSeconds:0.0}s |\n");
        text.Append($"\n**{report.SummaryLine}**\n");
        foreach (var f in report.Projects.SelectMany(p => p.Failures))
        {
            text.Append(
                $"\n- ❌ `{f.ClassName}.{f.Name}`{(f.Location is null ? "" : $" at `{f.Location}`")}: "
                    + $"{f.Message?.Split('\n', 2)[0].Trim()}"
            );
        }

        return text.ToString();
    }
}
