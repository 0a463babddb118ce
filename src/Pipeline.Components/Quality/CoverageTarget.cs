using System.Globalization;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Paths;
using Pipeline.Engine.Results;
using Pipeline.Processes;
using Pipeline.Quality;
using Pipeline.Quality.Coverage;
using Pipeline.Quality.Testing;

namespace Pipeline.Components.Quality;

/// <summary>What the Coverage target does: report on Test's coverage files, then apply the gates.</summary>
internal static class CoverageTarget
{
    private const int MaxAnnotations = 10;

    public static async Task RunAsync(ICoverage build)
    {
        var settings = GateSettings(build);
        var raw = DotnetTestRunner.FindCoverageFiles(build.TestResultsDirectory);
        if (raw.Count == 0)
        {
            throw new BuildFailure(
                $"No coverage data in {build.TestResultsDirectory.RelativeTo(build.RootDirectory)}/: "
                    + $"Test did not run in this build, or its test "
                    + $"projects do not reference coverlet.collector"
            );
        }

        CoverageReportFiles files;
        try
        {
            files = await new CoverageReportGenerator(Log.Logger).GenerateAsync(
                raw,
                build.CoverageDirectory,
                build.CoverageExclude.Select(a => "-" + a).ToList(),
                title: build.SolutionFile.Name
            );
        }
        catch (Exception e) when (e is QualityToolException or ProcessException)
        {
            throw new BuildFailure(e.Message, inner: e);
        }

        var summary = CoberturaReader.Read([files.Cobertura], build.RootDirectory);
        var gate = CoverageGate.Evaluate(summary, settings);
        Log.Result(
            $"Coverage: {summary.Describe()} from {raw.Count} test project(s); report: "
                + $"{new AbsolutePath(files.HtmlIndex).RelativeTo(build.RootDirectory)}"
        );
        build.SetResult(
            () => build.CoverageVerdict,
            new CoverageVerdict(
                summary.Percent,
                gate.Passed,
                gate.Problems.Where(p => !p.StartsWith(' ')).ToList(),
                new AbsolutePath(files.Cobertura),
                new AbsolutePath(files.HtmlIndex)
            )
            {
                Gates = GateFigures(summary, settings),
            }
        );
        StepOutputs.Set("coverage-percent", summary.Percent.ToString("0.0", CultureInfo.InvariantCulture));
        var markdown = await File.ReadAllTextAsync(files.MarkdownSummary);
        Summary.Append(
            gate.Passed
                ? $"### Coverage: {CoveragePercent.Format(summary.Percent)} ✅\n\n{markdown}"
                : $"### Coverage: {CoveragePercent.Format(summary.Percent)} "
                    + $"❌\n\n```\n{string.Join('\n', gate.Problems)}\n```\n\n{markdown}"
        );

        if (gate.Passed)
        {
            var critical =
                settings.CriticalPaths.Count > 0 ? $", 100% on {string.Join(", ", settings.CriticalPaths)}" : "";
            Log.Result($"Coverage gates passed: {settings.MinimumPercent:0.##}% overall{critical}");
            return;
        }

        foreach (var problem in gate.Problems.Where(p => !p.StartsWith(' ')))
            Log.Error(problem);
        foreach (var (file, index) in gate.FilesUnderBar.Select((f, i) => (f, i)))
        {
            // The worst files as annotations on their first uncovered line (GitHub shows 10 per step); the rest as
            // lines.
            if (index < MaxAnnotations && File.Exists(build.RootDirectory / file.Path))
            {
                Log.Warn(
                    $"coverage {file.DescribeFigures()} is under the bar",
                    file.Path,
                    file.UncoveredLines.Cast<int?>().FirstOrDefault()
                );
            }
            else
            {
                Log.Info($"  under the bar: {file.Describe()}");
            }
        }

        throw new BuildFailure(
            $"Coverage gates failed: {gate.Problems.Count(p => !p.StartsWith(' '))} "
                + $"problem(s), {gate.FilesUnderBar.Count} file(s) under the bar (listed above)"
        );
    }

    /// <summary>The overall figure against its bar, then each critical path's against 100% (for the run
    /// report).</summary>
    private static List<CoverageGateFigure> GateFigures(CoverageSummary summary, CoverageGateSettings settings)
    {
        var gates = new List<CoverageGateFigure>
        {
            new(
                "overall",
                summary.Percent,
                settings.MinimumPercent,
                summary.CoveredLines,
                summary.CoverableLines,
                Math.Floor(summary.Percent * 10) / 10 >= settings.MinimumPercent
            ),
        };
        foreach (var path in settings.CriticalPaths)
        {
            var matched = summary.Files.Where(path.Matches).ToList();
            var covered = matched.Sum(f => f.CoveredLines);
            var coverable = matched.Sum(f => f.CoverableLines);
            gates.Add(
                new CoverageGateFigure(
                    path.Entry,
                    coverable == 0 ? 0 : 100.0 * covered / coverable,
                    100,
                    covered,
                    coverable,
                    matched.Count > 0 && covered == coverable
                )
            );
        }

        return gates;
    }

    private static CoverageGateSettings GateSettings(ICoverage build)
    {
        var threshold = build.CoverageThreshold;
        var parameters = BuildContext.Current.Parameters;
        if (threshold is < 0 or > 100 || double.IsNaN(threshold))
        {
            throw new BuildFailure(
                $"Parameter CoverageThreshold{From(parameters, nameof(ICoverage.CoverageThreshold))}: "
                    + $"{threshold.ToString(CultureInfo.InvariantCulture)} "
                    + $"is not a percentage between 0 and 100"
            );
        }

        var source = $"CoverageCriticalPaths{From(parameters, nameof(ICoverage.CoverageCriticalPaths))}";
        try
        {
            return new CoverageGateSettings(
                threshold,
                CriticalPath.ParseList(build.CoverageCriticalPaths),
                source.Trim()
            );
        }
        catch (ArgumentException e)
        {
            throw new BuildFailure($"Parameter {source}: {e.Message.Split(" (Parameter", 2)[0]}");
        }
    }

    private static string From(ParameterValues parameters, string member) =>
        parameters.Find(member) is { } p ? $" from {p.Source}" : "";
}
