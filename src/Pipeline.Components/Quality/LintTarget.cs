using System.Text;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Processes;
using Pipeline.Quality;
using Pipeline.Quality.Lint;
using Pipeline.Quality.Secrets;

namespace Pipeline.Components.Quality;

/// <summary>What the Lint target does: both checks side by side, then one report of everything they found.</summary>
internal static class LintTarget
{
    public static async Task RunAsync(ILint build)
    {
        var root = build.RootDirectory;
        var reports = (build.ArtifactsDirectory / "lint").CreateDirectory();
        var solution = build.SolutionFile;
        var secretScan = SecretScan.Create(build.LintToolsDirectory, Log.Logger);

        var wholeFormat = build.LintAnalyzers || !LintScope.CompileEnforcesStyle(root);
        if (!wholeFormat)
            Log.Info(
                "Lint: code style and analyzers are the compile's "
                    + "(EnforceCodeStyleInBuild in Directory.Build.props); checking "
                    + "whitespace and secrets (--lint-analyzers: the whole dotnet format too)"
            );
        var check = new DotnetFormatCheck(Log.Logger);
        var format = Guard(async () =>
            wholeFormat
                ? await check.CheckAsync(solution, root, reports / "format-report.json")
                : await check.CheckWhitespaceAsync(
                    await LintScope.CSharpFilesAsync(solution, root),
                    root,
                    reports / "format-report.json"
                )
        );
        var secrets = Guard(() => secretScan.RunAsync(root));
        await Task.WhenAll(format, secrets);
        var (formatFindings, formatError) = await format;
        var (secretFindings, secretError) = await secrets;

        var all = formatFindings.Concat(secretFindings).ToList();
        foreach (var finding in all)
            Log.Error($"{finding.Rule}: {finding.Message} ({finding.Tool})", finding.File, finding.Line);
        var errors = new[] { formatError, secretError }.OfType<string>().ToList();
        foreach (var error in errors)
            Log.Error(error);

        await File.WriteAllLinesAsync(reports / "findings.txt", all.Select(f => f.ToString()));
        Summary.Append(Markdown(all, errors, secretScan.Scanner.Name));
        Log.Result(
            $"Lint: {formatFindings.Count} formatting/analyzer problem(s), "
                + $"{secretFindings.Count} possible secret(s) ({secretScan.Scanner.Name})"
        );

        if (all.Count > 0 || errors.Count > 0)
        {
            var parts = new List<string>();
            if (formatFindings.Count > 0)
                parts.Add(
                    $"{formatFindings.Count} from dotnet format (fix with: dotnet "
                        + $"format {(wholeFormat ? "" : "whitespace ")}{solution.Name})"
                );
            if (secretFindings.Count > 0)
                parts.Add($"{secretFindings.Count} possible secret(s) from {secretScan.Scanner.Name}");
            parts.AddRange(errors.Select(_ => "a check could not run"));
            throw new BuildFailure($"Lint found {all.Count + errors.Count} problem(s): {string.Join("; ", parts)}");
        }
    }

    /// <summary>A check that cannot run is one more problem to report, not a reason to skip the other check.</summary>
    private static async Task<(IReadOnlyList<LintFinding> Findings, string? Error)> Guard(
        Func<Task<IReadOnlyList<LintFinding>>> check
    )
    {
        try
        {
            return (await Task.Run(check), null);
        }
        catch (Exception e) when (e is QualityToolException or ProcessException)
        {
            return ([], e.Message);
        }
    }

    private static string Markdown(List<LintFinding> findings, List<string> errors, string scanner)
    {
        if (findings.Count == 0 && errors.Count == 0)
            return $"### Lint ✅\n\ndotnet format and {scanner}: no problem found.";
        var text = new StringBuilder($"### Lint ❌\n\n| File | Line | Rule | Problem |\n|---|---:|---|---|\n");
        foreach (var f in findings)
            text.Append($"| `{f.File}` | {f.Line} | `{f.Rule}` | {f.Message.Replace("|", "\\|")} |\n");
        foreach (var e in errors)
            text.Append($"\n- {e}");
        return text.ToString();
    }
}
