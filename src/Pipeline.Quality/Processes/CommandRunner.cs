using System.Diagnostics;
using System.Text;
using CliWrap;
using Microsoft.Extensions.Logging;

namespace Pipeline.Quality.Processes;

/// <summary>
/// Runs the external tools behind the quality targets (dotnet, node, npm, gitleaks, git) with CliWrap.
/// Output is always captured; it is echoed to the logger only when asked, because some tools
/// (secret scanners) print what they found and that must never reach a log.
/// </summary>
public static class CommandRunner
{
    public static async Task<CommandOutput> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        ILogger logger,
        bool echo = true,
        IReadOnlyDictionary<string, string?>? environment = null,
        Action<string>? onLine = null,
        CancellationToken cancellationToken = default)
    {
        var args = arguments.ToArray();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        logger.LogDebug("> {Command} {Arguments}", fileName, string.Join(' ', args));

        void Handle(StringBuilder buffer, string line)
        {
            lock (buffer) buffer.AppendLine(line);
            if (echo) logger.LogInformation("{Line}", line);
            onLine?.Invoke(line);
        }

        var command = Cli.Wrap(fileName)
            .WithArguments(args)
            .WithWorkingDirectory(workingDirectory)
            .WithEnvironmentVariables(environment ?? new Dictionary<string, string?>())
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(line => Handle(stdout, line)))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line => Handle(stderr, line)));

        var watch = Stopwatch.StartNew();
        try
        {
            var result = await command.ExecuteAsync(cancellationToken);
            return new CommandOutput(result.ExitCode, stdout.ToString(), stderr.ToString(), watch.Elapsed);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new QualityToolException($"'{fileName}' could not be started ({e.Message}); is it installed and on PATH?", e);
        }
    }

    /// <summary>True when <paramref name="fileName"/> resolves to an executable on PATH (or is an existing path).</summary>
    public static bool IsOnPath(string fileName, Func<string, string?>? env = null)
    {
        env ??= Environment.GetEnvironmentVariable;
        if (fileName.Contains(Path.DirectorySeparatorChar)) return File.Exists(fileName);
        var path = env("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, fileName)));
    }
}
