using System.Text.Json;
using Microsoft.Extensions.Logging;
using Pipeline.Processes;

namespace Pipeline.Quality.Lint;

/// <summary>
/// Verifies formatting, code style and analyzer rules without changing a file: <c>dotnet format --verify-no-changes</c>
/// with a JSON report, so every problem in every file is listed in one run.
/// Chosen over CSharpier because it ships with the SDK (no tool to restore), honours .editorconfig and also
/// enforces analyzer diagnostics (CA*, IDE*), where CSharpier only checks layout.
/// </summary>
public sealed class DotnetFormatCheck(ILogger logger)
{
    public const string ToolName = "dotnet format";

    /// <param name="target">A solution, project or folder, relative to <paramref name="rootDirectory"/> or
    /// absolute.</param>
    /// <param name="reportPath">Where the JSON report is kept (an artifact).</param>
    public Task<IReadOnlyList<LintFinding>> CheckAsync(
        string target,
        string rootDirectory,
        string reportPath,
        CancellationToken cancellationToken = default
    ) => RunAsync(["format", target, "--verify-no-changes"], target, rootDirectory, reportPath, cancellationToken);

    /// <summary>
    /// Whitespace and layout only, of the given files, in folder mode: no restore and no workspace to load, so it takes
    /// seconds where the full check takes a minute (code style and analyzers are then the compile's job,
    /// through <c>EnforceCodeStyleInBuild</c>).
    /// </summary>
    /// <param name="files">C# files relative to <paramref name="rootDirectory"/>; none: nothing to check.</param>
    public async Task<IReadOnlyList<LintFinding>> CheckWhitespaceAsync(
        IReadOnlyList<string> files,
        string rootDirectory,
        string reportPath,
        CancellationToken cancellationToken = default
    )
    {
        if (files.Count == 0)
            return [];
        return await RunAsync(
            ["format", "whitespace", ".", "--folder", "--verify-no-changes", "--include", .. files],
            "the C# files",
            rootDirectory,
            reportPath,
            cancellationToken
        );
    }

    private async Task<IReadOnlyList<LintFinding>> RunAsync(
        IReadOnlyList<string> arguments,
        string what,
        string rootDirectory,
        string reportPath,
        CancellationToken cancellationToken
    )
    {
        var report = Path.GetFullPath(reportPath);
        Directory.CreateDirectory(Path.GetDirectoryName(report)!);
        if (File.Exists(report))
            File.Delete(report);

        var request = new ProcessRequest("dotnet", [.. arguments, "--report", report, "--verbosity", "quiet"])
        {
            WorkingDirectory = rootDirectory,
            Timeout = TimeSpan.FromMinutes(20),
        };
        // Every finding is reported from the JSON below; the tool's own lines would print each twice.
        var output = await ProcessRunner.RunAsync(request.LoggingTo(logger, echoOutput: false), cancellationToken);

        // 0: clean; 2: files would change (the report lists why); anything else: the check itself failed.
        if (output.ExitCode is not (0 or 2))
        {
            throw new QualityToolException(
                $"dotnet format could not check '{what}' (exit code {output.ExitCode}): {output.Tail()}"
            );
        }

        var findings = File.Exists(report) ? ReadReport(File.ReadAllText(report), rootDirectory) : [];
        if (output.ExitCode == 2 && findings.Count == 0)
        {
            throw new QualityToolException(
                $"dotnet format reported changes in '{what}' but wrote no report entry: {output.Tail()}"
            );
        }

        return findings;
    }

    /// <summary>Reads the <c>--report</c> JSON: an array of documents, each with its <c>FileChanges</c>.</summary>
    public static IReadOnlyList<LintFinding> ReadReport(string json, string rootDirectory)
    {
        var findings = new List<LintFinding>();
        using var document = JsonDocument.Parse(json);
        foreach (var file in document.RootElement.EnumerateArray())
        {
            var path = file.TryGetProperty("FilePath", out var p) ? p.GetString() ?? "" : "";
            var relative = Path.IsPathRooted(path)
                ? Path.GetRelativePath(rootDirectory, path).Replace('\\', '/')
                : path;
            if (!file.TryGetProperty("FileChanges", out var changes))
                continue;
            foreach (var change in changes.EnumerateArray())
            {
                var rule = change.GetProperty("DiagnosticId").GetString() ?? "FORMAT";
                var description = change.GetProperty("FormatDescription").GetString() ?? "";
                // Analyzer entries repeat "warning CA1805: " in the description; keep just the text.
                var prefix = $"{rule}: ";
                var at = description.IndexOf(prefix, StringComparison.Ordinal);
                var message = at >= 0 ? description[(at + prefix.Length)..] : description;
                findings.Add(
                    new LintFinding(
                        relative,
                        change.GetProperty("LineNumber").GetInt32(),
                        change.GetProperty("CharNumber").GetInt32(),
                        rule,
                        message,
                        ToolName
                    )
                );
            }
        }

        return findings.OrderBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Line).ThenBy(f => f.Column).ToList();
    }
}
