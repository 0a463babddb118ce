namespace Pipeline.Quality.Coverage;

/// <summary>Checks merged coverage against the overall bar and the critical paths, and explains every miss.</summary>
public static class CoverageGate
{
    public static CoverageGateResult Evaluate(CoverageSummary summary, CoverageGateSettings settings)
    {
        var problems = new List<string>();
        var underBar = new List<FileCoverage>();

        if (summary.CoverableLines == 0)
        {
            problems.Add(
                "no coverable line was measured: did the test run collect "
                    + "coverage, and do the tests load the code under test?"
            );
            return new CoverageGateResult(problems, underBar);
        }

        // Compare on the same rounding the report prints, so "80.0%" never fails an 80% bar or the reverse.
        if (Math.Floor(summary.Percent * 10) / 10 < settings.MinimumPercent)
        {
            var worst = summary
                .Files.Where(f => f.Percent < settings.MinimumPercent)
                .OrderBy(f => f.Percent)
                .ThenBy(f => f.Path, StringComparer.Ordinal)
                .ToList();
            problems.Add(
                $"line coverage {summary.Describe()} is below the "
                    + $"{settings.MinimumPercent:0.##}% bar; files under it: {worst.Count}"
            );
            problems.AddRange(worst.Select(f => "  " + f.Describe()));
            underBar.AddRange(worst);
        }

        foreach (var path in settings.CriticalPaths)
        {
            var matched = summary.Files.Where(path.Matches).ToList();
            if (matched.Count == 0)
            {
                problems.Add(
                    $"critical path '{path.Entry}' (from {settings.CriticalPathsSource}) "
                        + $"matches no measured file: check the name, or whether its tests ran"
                );
                continue;
            }

            var missing = matched
                .Where(f => f.CoveredLines < f.CoverableLines)
                .OrderBy(f => f.Percent)
                .ThenBy(f => f.Path, StringComparer.Ordinal)
                .ToList();
            if (missing.Count == 0)
                continue;
            var covered = matched.Sum(f => f.CoveredLines);
            var coverable = matched.Sum(f => f.CoverableLines);
            problems.Add(
                $"critical path '{path.Entry}' is at "
                    + $"{CoveragePercent.Format(100.0 * covered / coverable)} "
                    + $"({covered}/{coverable} lines), 100% required; files under it: {missing.Count}"
            );
            problems.AddRange(missing.Select(f => "  " + f.Describe()));
            underBar.AddRange(missing.Where(f => !underBar.Contains(f)));
        }

        return new CoverageGateResult(problems, underBar);
    }
}
