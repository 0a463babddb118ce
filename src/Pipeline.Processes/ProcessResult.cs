namespace Pipeline.Processes;

/// <summary>What a finished run left: exit code and the full, unmasked output of both streams.</summary>
public sealed record ProcessResult(
    ProcessRequest Request,
    int ExitCode,
    string StandardOutput,
    string StandardError,
    TimeSpan Duration
)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The last lines of both streams joined on one line, masked: the detail of a failure message.</summary>
    public string Tail(int lines = 3) =>
        Request.Mask(
            string.Join(
                " | ",
                (StandardError + "\n" + StandardOutput)
                    .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .TakeLast(lines)
            )
        );

    /// <summary>One line naming the command, its exit code and what it last printed.</summary>
    public string FailureMessage(int tailLines = 3)
    {
        var tail = Tail(tailLines);
        return $"'{Request.CommandLine}' exited with code {ExitCode}{(tail.Length > 0 ? ": " + tail : "")}";
    }

    /// <summary>Throws <see cref="ProcessException"/> with <see cref="FailureMessage"/> unless the exit code is
    /// 0.</summary>
    public ProcessResult EnsureSuccess() =>
        Succeeded ? this : throw new ProcessException(FailureMessage(), Request.ToolName);
}
