namespace Pipeline.Quality.Processes;

public sealed record CommandOutput(int ExitCode, string StandardOutput, string StandardError, TimeSpan Duration)
{
    /// <summary>The last lines of both streams, for a one-line error message.</summary>
    public string Tail(int lines = 3) => string.Join(" | ", (StandardError + "\n" + StandardOutput)
        .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .TakeLast(lines));
}
