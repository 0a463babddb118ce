namespace Pipeline.Engine.Execution;

/// <summary>
/// A failure the user can act on: its message is shown as one line (no stack trace), and when a file is given
/// it becomes a GitHub Actions annotation on that file and line.
/// </summary>
public class BuildFailure(string message, string? file = null, int? line = null, Exception? inner = null)
    : Exception(message, inner)
{
    public string? File { get; } = file;

    public int? Line { get; } = line;
}
