using Microsoft.Extensions.Logging;
using MsLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Pipeline.Engine.Output;

/// <summary>Lets adapters written against <see cref="ILogger"/> log through the build's masked sink.</summary>
internal sealed class SinkLogger(IOutputSink sink) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(MsLogLevel logLevel) => logLevel != MsLogLevel.None;

    public void Log<TState>(
        MsLogLevel logLevel,
        EventId eventId,
        TState state,
        Exception? exception,
        Func<TState, Exception?, string> formatter
    )
    {
        var message = formatter(state, exception);
        if (exception is not null)
            message += $": {exception.Message}";
        switch (logLevel)
        {
            case MsLogLevel.Trace or MsLogLevel.Debug:
                sink.Write(LogLevel.Debug, message);
                break;
            case MsLogLevel.Information:
                sink.Write(LogLevel.Info, message);
                break;
            case MsLogLevel.Warning:
                sink.Annotate(LogLevel.Warning, message, null, null);
                break;
            default:
                sink.Annotate(LogLevel.Error, message, null, null);
                break;
        }
    }
}
