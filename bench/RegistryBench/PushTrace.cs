using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

/// <summary>
/// With SIGN_TRACE=1, sign-overhead prints when each step of a push happened (ms since the push started) and the
/// pusher's log lines (blobs done, attachments carried): where a signed push spends the time the plain one does not.
/// </summary>
internal static class PushTrace
{
    private static readonly bool On = Environment.GetEnvironmentVariable("SIGN_TRACE") == "1";
    private static long _start;

    public static ILogger Logger => On ? new StampLogger() : NullLogger.Instance;

    public static void Start(string what)
    {
        _start = Stopwatch.GetTimestamp();
        if (On)
            Console.Error.WriteLine($"-- {what}");
    }

    public static void Mark(string what)
    {
        if (On)
            Console.Error.WriteLine($"{Stopwatch.GetElapsedTime(_start).TotalMilliseconds, 8:F1} ms  {what}");
    }

    private sealed class StampLogger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter
        ) => Mark(formatter(state, exception));
    }
}
