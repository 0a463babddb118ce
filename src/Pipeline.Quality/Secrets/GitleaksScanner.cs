using System.Text.Json;
using Microsoft.Extensions.Logging;
using Pipeline.Processes;
using Pipeline.Quality.Lint;

namespace Pipeline.Quality.Secrets;

/// <summary>
/// Secret scanning with gitleaks when it is on PATH (CI images often have it). It scans the work tree with
/// <c>--redact</c> (the report never holds a secret) and findings outside the given file list are dropped,
/// so results match the secretlint path. <c>.gitleaks.toml</c> at the root is honoured by gitleaks itself.
/// </summary>
internal sealed class GitleaksScanner(ILogger logger, string executable = "gitleaks") : ISecretScanner
{
    public string Name => "gitleaks";

    public async Task<IReadOnlyList<LintFinding>> ScanAsync(
        string rootDirectory,
        IReadOnlyList<string> files,
        CancellationToken cancellationToken = default
    )
    {
        if (files.Count == 0)
            return [];
        var report = Path.Combine(Path.GetTempPath(), $"gitleaks-{Guid.NewGuid():N}.json");
        try
        {
            var request = new ProcessRequest(
                executable,
                [
                    "detect",
                    "--no-git",
                    "--source",
                    rootDirectory,
                    "--redact",
                    "--no-banner",
                    "--exit-code",
                    "0",
                    "--report-format",
                    "json",
                    "--report-path",
                    report,
                ]
            )
            {
                WorkingDirectory = rootDirectory,
                Timeout = TimeSpan.FromMinutes(10),
            };
            var output = await ProcessRunner.RunAsync(request.LoggingTo(logger, echoOutput: false), cancellationToken);
            if (output.ExitCode != 0 || !File.Exists(report))
            {
                throw new QualityToolException($"gitleaks failed (exit code {output.ExitCode}): {output.Tail(1)}");
            }

            var wanted = new HashSet<string>(files, StringComparer.Ordinal);
            return ReadReport(File.ReadAllText(report), rootDirectory).Where(f => wanted.Contains(f.File)).ToList();
        }
        finally
        {
            if (File.Exists(report))
                File.Delete(report);
        }
    }

    /// <summary>Reads gitleaks' JSON report (an array of findings); <c>Secret</c> and <c>Match</c> are never
    /// used.</summary>
    public static IReadOnlyList<LintFinding> ReadReport(string json, string rootDirectory)
    {
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "[]" : json);
        return document
            .RootElement.EnumerateArray()
            .Select(f =>
            {
                var path = f.GetProperty("File").GetString() ?? "";
                var relative = Path.IsPathRooted(path) ? Path.GetRelativePath(rootDirectory, path) : path;
                var description = f.TryGetProperty("Description", out var d) ? d.GetString() : null;
                return new LintFinding(
                    relative.Replace('\\', '/'),
                    f.GetProperty("StartLine").GetInt32(),
                    f.TryGetProperty("StartColumn", out var col) ? col.GetInt32() : 1,
                    f.GetProperty("RuleID").GetString() ?? "gitleaks",
                    $"possible secret{(description is null ? "" : $" ({description})")}: (redacted)",
                    "gitleaks"
                );
            })
            .ToList();
    }
}
