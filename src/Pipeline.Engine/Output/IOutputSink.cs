namespace Pipeline.Engine.Output;

/// <summary>One presentation of build output. Implementations receive text that is already masked.</summary>
public interface IOutputSink
{
    void Write(LogLevel level, string message);

    /// <summary>A message that CI should pin to a file and line (GitHub Actions annotations).</summary>
    void Annotate(LogLevel level, string message, string? file, int? line);

    void BeginGroup(string title);

    void EndGroup();

    /// <summary>Long work: a live bar in a terminal, throttled plain lines elsewhere.</summary>
    IProgressReporter StartProgress(string title, long? total);
}
