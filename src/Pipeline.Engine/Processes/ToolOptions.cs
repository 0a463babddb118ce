namespace Pipeline.Engine.Processes;

public sealed record ToolOptions
{
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables set for the tool; a null value removes an inherited one.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Stream output lines to the log (debug level when false; always captured).</summary>
    public bool Echo { get; init; } = true;

    /// <summary>Return a non-zero exit code instead of throwing.</summary>
    public bool AllowFailure { get; init; }

    public string? StandardInput { get; init; }

    /// <summary>Null: <see cref="Pipeline.Processes.ProcessRequest.DefaultTimeout"/>; every run has a
    /// deadline.</summary>
    public TimeSpan? Timeout { get; init; }
}
