namespace Pipeline.Processes;

/// <summary>A tool that could not start, did not finish in time, or failed: the message is one masked line naming
/// it.</summary>
public sealed class ProcessException(string message, string toolName, Exception? inner = null)
    : Exception(message, inner)
{
    public string ToolName { get; } = toolName;
}
