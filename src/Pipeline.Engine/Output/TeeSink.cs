namespace Pipeline.Engine.Output;

/// <summary>Sends output to the host's presentation and to a plain log file (<c>.nuke/temp/build.log</c>, every
/// level).</summary>
internal sealed class TeeSink(IOutputSink presentation, TextWriter log) : IOutputSink, IDisposable
{
    public void Write(LogLevel level, string message)
    {
        presentation.Write(level, message);
        Append($"{level.ToString().ToLowerInvariant()[..3]} {message}");
    }

    public void Annotate(LogLevel level, string message, string? file, int? line)
    {
        presentation.Annotate(level, message, file, line);
        Append($"{level.ToString().ToLowerInvariant()[..3]} {(file is null ? "" : $"{file}:{line} ")}{message}");
    }

    public void BeginGroup(string title)
    {
        presentation.BeginGroup(title);
        Append($"=== {title}");
    }

    public void EndGroup() => presentation.EndGroup();

    public IProgressReporter StartProgress(string title, long? total) => presentation.StartProgress(title, total);

    public void Dispose() => log.Dispose();

    private void Append(string line)
    {
        lock (log)
        {
            log.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {line}");
        }
    }
}
