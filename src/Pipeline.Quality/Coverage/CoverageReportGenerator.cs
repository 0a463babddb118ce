using Microsoft.Extensions.Logging;
using Pipeline.Processes;

namespace Pipeline.Quality.Coverage;

/// <summary>
/// Merges the per-project Cobertura files and renders the HTML report and a GitHub-flavoured Markdown summary
/// with ReportGenerator. The tool ships inside this assembly's output (the ReportGenerator NuGet package's
/// net10.0 tools folder, pinned in Directory.Packages.props), so no tool restore or network is needed at build time.
/// </summary>
public sealed class CoverageReportGenerator(ILogger logger, string? toolPath = null)
{
    public static string BundledToolPath =>
        Path.Combine(AppContext.BaseDirectory, "tools", "reportgenerator", "ReportGenerator.dll");

    public string ToolPath { get; } = toolPath ?? BundledToolPath;

    /// <param name="assemblyFilters">ReportGenerator filters such as <c>-Pipeline.Testing</c> (exclude) or
    /// <c>+Pipeline.*</c> (include).</param>
    public async Task<CoverageReportFiles> GenerateAsync(
        IReadOnlyList<string> coberturaFiles,
        string targetDirectory,
        IReadOnlyList<string>? assemblyFilters = null,
        string? title = null,
        CancellationToken cancellationToken = default
    )
    {
        if (coberturaFiles.Count == 0)
            throw new QualityToolException("no Cobertura file to report on");
        // ReportGenerator skips an unreadable input with exit code 0; the figures would then silently drop.
        foreach (var file in coberturaFiles)
            CoberturaReader.EnsureCobertura(file);
        if (!File.Exists(ToolPath))
            throw new QualityToolException(
                $"ReportGenerator is missing at {ToolPath}; rebuild Pipeline.Quality "
                    + $"(it copies the ReportGenerator package's tool there)"
            );
        var target = Path.GetFullPath(targetDirectory);
        if (Directory.Exists(target))
            Directory.Delete(target, recursive: true);

        var args = new List<string>
        {
            ToolPath,
            $"-reports:{string.Join(';', coberturaFiles)}",
            $"-targetdir:{target}",
            "-reporttypes:Html;Cobertura;MarkdownSummaryGithub",
            "-verbosity:Warning",
            // Source generators' output (regex, logging, JSON) lives under obj/: nobody writes tests for it line by
            // line.
            "-filefilters:-*/obj/*;-*.g.cs",
        };
        if (assemblyFilters is { Count: > 0 })
            args.Add($"-assemblyfilters:{string.Join(';', assemblyFilters)}");
        if (title is { Length: > 0 })
            args.Add($"-title:{title}");

        var output = await ProcessRunner.RunAsync(
            new ProcessRequest("dotnet", args)
            {
                WorkingDirectory = Path.GetDirectoryName(ToolPath)!,
                Timeout = TimeSpan.FromMinutes(10),
            }.LoggingTo(logger),
            cancellationToken
        );
        var files = new CoverageReportFiles(
            Path.Combine(target, "index.html"),
            Path.Combine(target, "Cobertura.xml"),
            Path.Combine(target, "SummaryGithub.md")
        );
        if (output.ExitCode != 0 || !File.Exists(files.Cobertura))
        {
            throw new QualityToolException($"ReportGenerator failed (exit code {output.ExitCode}): {output.Tail()}");
        }

        return files;
    }
}
