using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Processes;

namespace Pipeline.Engine.Processes;

/// <summary>
/// Runs external tools (git, dotnet, podman, skopeo) from a target through the one <see cref="ProcessRunner"/>, wired
/// to the build: the exact command at verbose level, output streamed line by line through the build's masking (so a
/// secret printed by a tool never reaches the log) and captured for the caller, failures as one-line <see
/// cref="BuildFailure"/>s.
/// </summary>
public static class Tool
{
    public static ToolResult Run(string fileName, IEnumerable<string> arguments, ToolOptions? options = null) =>
        RunAsync(fileName, arguments, options).GetAwaiter().GetResult();

    public static async Task<ToolResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        ToolOptions? options = null,
        CancellationToken cancellationToken = default
    )
    {
        options ??= new ToolOptions();
        var echoLevel = options.Echo ? LogLevel.Info : LogLevel.Debug;
        var sink = BuildContext.Current.Output;
        var request = new ProcessRequest(fileName, arguments.ToArray())
        {
            WorkingDirectory = options.WorkingDirectory,
            Environment = options.Environment,
            StandardInput = options.StandardInput,
            Timeout = options.Timeout ?? ProcessRequest.DefaultTimeout,
            Mask = Secrets.Mask,
            OnCommand = command => sink.Write(LogLevel.Debug, $"> {command}"),
            OnOutputLine = line => sink.Write(echoLevel, line),
        };

        try
        {
            var result = await ProcessRunner.RunAsync(request, cancellationToken);
            if (!options.AllowFailure)
                result.EnsureSuccess();
            return new ToolResult(result.ExitCode, result.StandardOutput, result.StandardError, result.Duration);
        }
        catch (ProcessException e)
        {
            throw new BuildFailure(e.Message);
        }
    }
}
