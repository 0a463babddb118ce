namespace Pipeline.Engine.Processes;

public sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError, TimeSpan Duration);
