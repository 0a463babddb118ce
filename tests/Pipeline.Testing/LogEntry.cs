using Microsoft.Extensions.Logging;

namespace Pipeline.Testing;

/// <summary>One entry a <see cref="RecordingLogger"/> kept.</summary>
public sealed record LogEntry(LogLevel Level, string Message, Exception? Exception)
{
    public override string ToString() => $"{Level}: {Message}{(Exception is null ? "" : " " + Exception)}";
}
