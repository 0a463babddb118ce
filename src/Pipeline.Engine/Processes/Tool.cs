using System.Diagnostics;
using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace Pipeline.Engine;

/// <summary>
/// Runs external tools (git, dotnet, podman, skopeo) with CliWrap. Output is streamed line by line through
/// the build's masking, so a secret printed by a tool never reaches the log; it is also captured for the caller.
/// </summary>
public static class Tool
{
    public static ToolResult Run(string fileName, IEnumerable<string> arguments, ToolOptions? options = null)
        => RunAsync(fileName, arguments, options).GetAwaiter().GetResult();

    public static async Task<ToolResult> RunAsync(string fileName, IEnumerable<string> arguments, ToolOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ToolOptions();
        var args = arguments.ToArray();
        var display = $"{fileName} {string.Join(' ', args.Select(Quote))}";
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var echoLevel = options.Echo ? LogLevel.Info : LogLevel.Debug;
        var sink = BuildContext.Current.Output;
        sink.Write(LogLevel.Debug, $"> {display}");

        var command = Cli.Wrap(fileName)
            .WithArguments(args)
            .WithWorkingDirectory(options.WorkingDirectory ?? Directory.GetCurrentDirectory())
            .WithEnvironmentVariables(options.Environment)
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(line => { stdout.AppendLine(line); sink.Write(echoLevel, line); }))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line => { stderr.AppendLine(line); sink.Write(echoLevel, line); }));
        if (options.StandardInput is not null) command = command.WithStandardInputPipe(PipeSource.FromString(options.StandardInput));

        using var timeout = options.Timeout is { } t ? new CancellationTokenSource(t) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var watch = Stopwatch.StartNew();
        CommandResult result;
        try
        {
            result = await command.ExecuteAsync(linked.Token);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new BuildFailure($"'{fileName}' could not be started ({e.Message}); is it installed and on PATH?");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new BuildFailure($"'{Secrets.Mask(display)}' did not finish within {options.Timeout}");
        }

        var toolResult = new ToolResult(result.ExitCode, stdout.ToString(), stderr.ToString(), watch.Elapsed);
        if (result.ExitCode != 0 && !options.AllowFailure)
        {
            var tail = string.Join(" | ", (toolResult.StandardError + toolResult.StandardOutput)
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(3));
            throw new BuildFailure(Secrets.Mask($"'{display}' exited with code {result.ExitCode}: {tail}"));
        }

        return toolResult;
    }

    private static string Quote(string arg) => arg.Length == 0 || arg.Any(char.IsWhiteSpace) ? $"\"{arg}\"" : arg;
}
