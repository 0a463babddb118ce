using Microsoft.Extensions.Logging;

namespace Pipeline.Retention.Tests.Fixtures;

/// <summary>Keeps every formatted log line, so tests can check that each deletion was logged and that no secret
/// was.</summary>
public sealed class CapturingLogger : ILogger
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
                return _lines.ToList();
        }
    }

    public string Text => string.Join("\n", Lines);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(
        LogLevel logLevel,
        EventId eventId,
        TState state,
        Exception? exception,
        Func<TState, Exception?, string> formatter
    )
    {
        lock (_lines)
            _lines.Add(
                $"{logLevel}: {formatter(state, exception)}{(exception is null ? "" : " " + exception.Message)}"
            );
    }
}
