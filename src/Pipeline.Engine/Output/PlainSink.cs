namespace Pipeline.Engine.Output;

/// <summary>Line-oriented output for generic CI and redirected output: no colours, no cursor movement, progress as
/// throttled lines.</summary>
internal class PlainSink(TextWriter writer, Verbosity verbosity) : IOutputSink
{
    protected TextWriter Writer { get; } = writer;

    protected Verbosity Verbosity { get; } = verbosity;

    public virtual void Write(LogLevel level, string message)
    {
        if (!Shows(level))
            return;
        var prefix = level switch
        {
            LogLevel.Warning => "warning: ",
            LogLevel.Error => "error: ",
            _ => "",
        };
        WriteLine(prefix + message);
    }

    public virtual void Annotate(LogLevel level, string message, string? file, int? line)
    {
        Write(level, AnnotationText.Format(message, file, line));
    }

    public virtual void BeginGroup(string title) => WriteLine($"=== {title}");

    public virtual void EndGroup() { }

    public virtual IProgressReporter StartProgress(string title, long? total) => new LineProgress(this, title, total);

    protected bool Shows(LogLevel level) =>
        level switch
        {
            LogLevel.Debug => Verbosity >= Verbosity.Verbose,
            LogLevel.Info => Verbosity >= Verbosity.Normal,
            LogLevel.Warning => Verbosity >= Verbosity.Minimal,
            _ => true,
        };

    protected void WriteLine(string text)
    {
        lock (Writer)
        {
            Writer.WriteLine(text);
            Writer.Flush();
        }
    }

    /// <summary>At most one line every few seconds, or per quarter of the work, so CI logs stay readable.</summary>
    private sealed class LineProgress(PlainSink sink, string title, long? total) : IProgressReporter
    {
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private TimeSpan _lastAt = TimeSpan.Zero;
        private int _lastQuarter = -1;
        private long _done;
        private long? _total = total;

        public void Report(long done, long? total = null, string? status = null)
        {
            _done = done;
            _total = total ?? _total;
            var quarter = _total is > 0 ? (int)(4 * done / _total.Value) : -1;
            if (_clock.Elapsed - _lastAt < TimeSpan.FromSeconds(5) && quarter == _lastQuarter)
                return;
            _lastAt = _clock.Elapsed;
            _lastQuarter = quarter;
            sink.Write(LogLevel.Info, $"{title}: {Describe(done, _total)}{(status is null ? "" : $" {status}")}");
        }

        public void Dispose() =>
            sink.Write(LogLevel.Info, $"{title}: done {Describe(_done, _total)} in {_clock.Elapsed.TotalSeconds:0.0}s");

        private static string Describe(long done, long? total) =>
            total is > 0 ? $"{done}/{total} ({100.0 * done / total.Value:0}%)" : $"{done}";
    }
}
