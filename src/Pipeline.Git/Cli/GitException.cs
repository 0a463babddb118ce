namespace Pipeline.Git.Cli;

/// <summary>A git command failed; the message is one line: the command, its exit code and git's own first error line
/// (credentials redacted).</summary>
public sealed class GitException(string message, int exitCode, string standardError) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public string StandardError { get; } = standardError;
}
