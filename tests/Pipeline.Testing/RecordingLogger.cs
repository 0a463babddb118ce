using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Pipeline.Testing;

/// <summary>
/// An ILogger that keeps every entry, so tests can assert what was (and was not) logged, at which level, and that no
/// secret is in it. Safe to log to from many threads.
/// </summary>
public sealed class RecordingLogger : ILogger
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => _entries.ToArray();

    /// <summary>Each entry as a person would read it: <c>Warning: message</c>, then the exception if any.</summary>
    public IReadOnlyList<string> Lines => _entries.Select(e => e.ToString()).ToArray();

    public string Text => string.Join('\n', Lines);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(
        LogLevel logLevel,
        EventId eventId,
        TState state,
        Exception? exception,
        Func<TState, Exception?, string> formatter
    ) => _entries.Enqueue(new LogEntry(logLevel, formatter(state, exception), exception));
}
