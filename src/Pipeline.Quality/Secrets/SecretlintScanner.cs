using System.Text.Json;
using Microsoft.Extensions.Logging;
using Pipeline.Processes;
using Pipeline.Quality.Lint;

namespace Pipeline.Quality.Secrets;

/// <summary>
/// Secret scanning with secretlint (npm) and its recommended rule preset, installed on first use into a cache
/// folder (e.g. <c>.nuke/temp/tools/secretlint-13.0.6-…</c>, one folder per set of pinned versions). The tool's own
/// output is never echoed: its JSON holds the file contents; findings are rebuilt from it with a redacted preview only.
/// </summary>
public sealed class SecretlintScanner(string cacheDirectory, ILogger logger) : ISecretScanner
{
    public const string Version = "13.0.6";
    public const string PresetVersion = "13.0.7";
    private const int FilesPerRun = 300;

    // The recommended rules; the preset includes the filter that honours "secretlint-disable-line" comments on reviewed
    // false positives.
    private const string Config = """{"rules":[{"id":"@secretlint/secretlint-rule-preset-recommend"}]}""";

    /// <summary>The cache sub-folder for this set of versions: changing a pin installs afresh next to the old
    /// one.</summary>
    public static string CacheFolderName => $"secretlint-{Version}-{PresetVersion}";

    public string Name => "secretlint";

    public string CacheDirectory { get; } = Path.GetFullPath(cacheDirectory);

    private string Entry => Path.Combine(CacheDirectory, "node_modules", "secretlint", "bin", "secretlint.js");

    public async Task<IReadOnlyList<LintFinding>> ScanAsync(
        string rootDirectory,
        IReadOnlyList<string> files,
        CancellationToken cancellationToken = default
    )
    {
        if (files.Count == 0)
            return [];
        await EnsureInstalledAsync(cancellationToken);
        var findings = new List<LintFinding>();
        var reportPath = Path.Combine(Path.GetTempPath(), $"secretlint-{Guid.NewGuid():N}.json");
        try
        {
            foreach (var batch in files.Chunk(FilesPerRun))
            {
                var request = new ProcessRequest(
                    "node",
                    [
                        Entry,
                        "--format",
                        "json",
                        "--output",
                        reportPath,
                        "--no-color",
                        "--no-glob",
                        "--secretlintrcJSON",
                        Config,
                        .. batch,
                    ]
                )
                {
                    WorkingDirectory = rootDirectory,
                    Timeout = TimeSpan.FromMinutes(10),
                };
                var output = await ProcessRunner.RunAsync(
                    request.LoggingTo(logger, echoOutput: false),
                    cancellationToken
                );
                // 0: nothing found; 1: findings in the report; anything else: secretlint itself failed.
                if (output.ExitCode is not (0 or 1) || !File.Exists(reportPath))
                {
                    throw new QualityToolException(
                        $"secretlint failed (exit code {output.ExitCode}): {FirstErrorLine(output)}"
                    );
                }

                findings.AddRange(ReadReport(File.ReadAllText(reportPath), rootDirectory));
                File.Delete(reportPath);
            }
        }
        finally
        {
            if (File.Exists(reportPath))
                File.Delete(reportPath);
        }

        return findings;
    }

    /// <summary>Installs the pinned secretlint into the cache once; concurrent builds each stage and the first one
    /// wins.</summary>
    public async Task EnsureInstalledAsync(CancellationToken cancellationToken = default)
    {
        if (File.Exists(Entry))
            return;
        if (!ToolLocator.IsInstalled("npm") || !ToolLocator.IsInstalled("node"))
        {
            throw new QualityToolException(
                "secret scan: gitleaks is not on PATH and node/npm are not installed "
                    + "to fetch secretlint (apt-get install nodejs npm, or install gitleaks)"
            );
        }

        logger.LogInformation("Installing secretlint {Version} into {Cache} (first use)", Version, CacheDirectory);
        var staging = CacheDirectory.TrimEnd(Path.DirectorySeparatorChar) + $".staging-{Guid.NewGuid():N}";
        Directory.CreateDirectory(staging);
        try
        {
            var request = new ProcessRequest(
                "npm",
                [
                    "install",
                    "--no-audit",
                    "--no-fund",
                    "--loglevel=error",
                    "--prefix",
                    staging,
                    $"secretlint@{Version}",
                    $"@secretlint/secretlint-rule-preset-recommend@{PresetVersion}",
                ]
            )
            {
                WorkingDirectory = staging,
                Timeout = TimeSpan.FromMinutes(10),
            };
            var output = await ProcessRunner.RunAsync(request.LoggingTo(logger, echoOutput: false), cancellationToken);
            if (output.ExitCode != 0)
                throw new QualityToolException(
                    $"npm could not install secretlint {Version} (exit code {output.ExitCode}): {output.Tail(2)}"
                );
            Directory.CreateDirectory(Path.GetDirectoryName(CacheDirectory)!);
            try
            {
                Directory.Move(staging, CacheDirectory);
            }
            catch (IOException) when (File.Exists(Entry))
            {
                // Another build installed it meanwhile.
            }
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Reads secretlint's JSON formatter output; never keeps <c>sourceContent</c> or the message
    /// text.</summary>
    public static IReadOnlyList<LintFinding> ReadReport(string json, string rootDirectory)
    {
        var findings = new List<LintFinding>();
        using var document = JsonDocument.Parse(json);
        foreach (var file in document.RootElement.EnumerateArray())
        {
            var path = file.GetProperty("filePath").GetString() ?? "";
            var relative = Path.IsPathRooted(path)
                ? Path.GetRelativePath(rootDirectory, path).Replace('\\', '/')
                : path;
            var content = file.TryGetProperty("sourceContent", out var c) ? c.GetString() ?? "" : "";
            foreach (var message in file.GetProperty("messages").EnumerateArray())
            {
                var rule = message.GetProperty("ruleId").GetString() ?? "secretlint";
                var kind = message.TryGetProperty("messageId", out var m) ? m.GetString() : null;
                var start = message.GetProperty("loc").GetProperty("start");
                string? secret = null;
                if (message.TryGetProperty("range", out var range) && range.GetArrayLength() == 2)
                {
                    var from = Math.Clamp(range[0].GetInt32(), 0, content.Length);
                    var to = Math.Clamp(range[1].GetInt32(), from, content.Length);
                    secret = content[from..to];
                }

                findings.Add(
                    new LintFinding(
                        relative,
                        start.GetProperty("line").GetInt32(),
                        start.GetProperty("column").GetInt32() + 1,
                        rule,
                        $"possible secret{(kind is null ? "" : $" ({kind})")}: {SecretRedaction.Preview(secret)}",
                        "secretlint"
                    )
                );
            }
        }

        return findings;
    }

    // secretlint prints a stack for config errors; the first line says what is wrong and holds no file content.
    private static string FirstErrorLine(ProcessResult output) =>
        output
            .StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(l => !l.StartsWith("npm warn", StringComparison.OrdinalIgnoreCase))
        ?? "no error text";
}
