using Pipeline.Engine.Execution;

namespace Pipeline.Engine.Output;

/// <summary>
/// The build's log. Everything written here goes through secret masking and the host's presentation
/// (colours in a terminal, workflow commands on GitHub Actions, plain lines elsewhere).
/// </summary>
public static class Log
{
    public static void Debug(string message) => Sink.Write(LogLevel.Debug, message);

    public static void Info(string message) => Sink.Write(LogLevel.Info, message);

    /// <summary>
    /// An Info line that states the target's result (the <c>Tests:</c> count, <c>Lint: 0 problems</c>): when the
    /// target is later restored from the cache, these lines are printed again.
    /// </summary>
    public static void Result(string message)
    {
        BuildContext.Current.Target?.Capture.ResultLines.Enqueue(BuildContext.Current.Masker.Mask(message));
        Sink.Write(LogLevel.Info, message);
    }

    public static void Warn(string message, string? file = null, int? line = null) =>
        Sink.Annotate(LogLevel.Warning, message, file, line);

    public static void Error(string message, string? file = null, int? line = null) =>
        Sink.Annotate(LogLevel.Error, message, file, line);

    /// <summary>A Microsoft.Extensions.Logging logger over the same sink, for adapters that take an
    /// <c>ILogger</c>.</summary>
    public static Microsoft.Extensions.Logging.ILogger Logger => new SinkLogger(Sink);

    private static IOutputSink Sink => BuildContext.Current.Output;
}
