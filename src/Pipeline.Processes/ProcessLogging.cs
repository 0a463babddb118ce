using Microsoft.Extensions.Logging;

namespace Pipeline.Processes;

/// <summary>How adapters (which log through <see cref="ILogger"/>) show a run: the command at debug level, output lines
/// at information.</summary>
public static class ProcessLogging
{
    /// <param name="echoOutput">False for tools whose output must never reach a log (secret scanners, credential
    /// helpers).</param>
    public static ProcessRequest LoggingTo(this ProcessRequest request, ILogger logger, bool echoOutput = true) =>
        request with
        {
            OnCommand = command => logger.LogDebug("> {Command}", command),
            OnOutputLine = echoOutput ? line => logger.LogInformation("{Line}", line) : request.OnOutputLine,
        };
}
