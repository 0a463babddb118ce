using Microsoft.Extensions.Logging;

namespace Pipeline.Containers.Tests.Support;

/// <summary>An ILogger that keeps every line, so tests can assert on what the adapters printed.</summary>
public sealed class ListLogger : ILogger
{
    private readonly List<(LogLevel Level, string Message)> _lines = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Lines
    {
        get
        {
            lock (_lines)
                return _lines.ToList();
        }
    }

    public string Text => string.Join('\n', Lines.Select(l => l.Message));

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
            _lines.Add((logLevel, formatter(state, exception)));
    }
}
