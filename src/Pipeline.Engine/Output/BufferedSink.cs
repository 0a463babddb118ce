using System.Diagnostics;

namespace Pipeline.Engine.Output;

/// <summary>
/// Holds one target's output while targets run side by side, so that it can be emitted whole, as its own group,
/// when the target finishes. It sits below masking: what it holds is already masked. The latest line feeds the
/// terminal's table of running targets.
/// </summary>
internal sealed class BufferedSink : IOutputSink
{
    private readonly List<Action<IOutputSink>> _entries = [];

    /// <summary>The last line written at Info level or above (or a progress status): what the target is doing
    /// now.</summary>
    public string Latest { get; private set; } = "";

    public void Write(LogLevel level, string message)
    {
        Record(sink => sink.Write(level, message));
        if (level >= LogLevel.Info)
            Latest = message;
    }

    public void Annotate(LogLevel level, string message, string? file, int? line)
    {
        Record(sink => sink.Annotate(level, message, file, line));
        if (level >= LogLevel.Info)
            Latest = message;
    }

    public void BeginGroup(string title) => Record(sink => sink.BeginGroup(title));

    public void EndGroup() => Record(sink => sink.EndGroup());

    /// <summary>Progress cannot be drawn while buffered: it updates the latest line and leaves one closing
    /// line.</summary>
    public IProgressReporter StartProgress(string title, long? total) =>
        Status(this, latest => Latest = latest, title, total);

    /// <summary>Progress as a latest line (<paramref name="setLatest"/>) and one closing line written to <paramref
    /// name="sink"/>.</summary>
    internal static IProgressReporter Status(IOutputSink sink, Action<string> setLatest, string title, long? total) =>
        new StatusProgress(sink, setLatest, title, total);

    /// <summary>Emits everything held, in order, into <paramref name="sink"/>, and empties the buffer.</summary>
    public void ReplayInto(IOutputSink sink)
    {
        Action<IOutputSink>[] entries;
        lock (_entries)
        {
            entries = [.. _entries];
            _entries.Clear();
        }

        foreach (var entry in entries)
            entry(sink);
    }

    private void Record(Action<IOutputSink> entry)
    {
        lock (_entries)
            _entries.Add(entry);
    }

    private sealed class StatusProgress(IOutputSink sink, Action<string> setLatest, string title, long? total)
        : IProgressReporter
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _done;
        private long? _total = total;

        public void Report(long done, long? total = null, string? status = null)
        {
            _done = done;
            _total = total ?? _total;
            setLatest($"{title}: {Describe()}{(status is null ? "" : $" {status}")}");
        }

        public void Dispose() =>
            sink.Write(LogLevel.Info, $"{title}: done {Describe()} in {_clock.Elapsed.TotalSeconds:0.0}s");

        private string Describe() =>
            _total is > 0 ? $"{_done}/{_total} ({100.0 * _done / _total.Value:0}%)" : $"{_done}";
    }
}
