namespace Pipeline.Engine;

public sealed record ToolOptions
{
    public string? WorkingDirectory { get; init; }

    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Stream output lines to the log (debug level when false; always captured).</summary>
    public bool Echo { get; init; } = true;

    /// <summary>Return a non-zero exit code instead of throwing.</summary>
    public bool AllowFailure { get; init; }

    public string? StandardInput { get; init; }

    public TimeSpan? Timeout { get; init; }
}
