using Microsoft.Extensions.Logging;
using Pipeline.Processes;
using Pipeline.Quality.Lint;

namespace Pipeline.Quality.Secrets;

/// <summary>Scans a repository's tracked files with gitleaks when it is on PATH, otherwise with secretlint from
/// npm.</summary>
public sealed class SecretScan(ISecretScanner scanner, ILogger logger)
{
    public ISecretScanner Scanner { get; } = scanner;

    /// <param name="toolCacheDirectory">Where secretlint is installed on first use, e.g.
    /// <c>.nuke/temp/tools</c>.</param>
    public static SecretScan Create(string toolCacheDirectory, ILogger logger, Func<string, string?>? env = null) =>
        new(
            ToolLocator.IsInstalled("gitleaks", env)
                ? new GitleaksScanner(logger)
                : new SecretlintScanner(Path.Combine(toolCacheDirectory, SecretlintScanner.CacheFolderName), logger),
            logger
        );

    public async Task<IReadOnlyList<LintFinding>> RunAsync(
        string rootDirectory,
        CancellationToken cancellationToken = default
    )
    {
        var files = await TrackedFiles.ListAsync(rootDirectory, logger, cancellationToken);
        logger.LogInformation("Scanning {Count} tracked files for secrets with {Scanner}", files.Count, Scanner.Name);
        var findings = await Scanner.ScanAsync(rootDirectory, files, cancellationToken);
        return findings.OrderBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Line).ToList();
    }
}
