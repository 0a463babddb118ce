using CliWrap;

namespace Pipeline.Processes;

/// <summary>
/// A service process started by <see cref="ProcessRunner.Start"/> (podman system service, docker-registry): wait until
/// it answers, stop it (whole process tree) on dispose. Every wait here has a deadline.
/// </summary>
public sealed class BackgroundProcess : IAsyncDisposable
{
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(10);

    private readonly CommandTask<CommandResult> _task;
    private readonly CancellationTokenSource _stop;
    private readonly RecentLines _recent;

    internal BackgroundProcess(
        ProcessRequest request,
        CommandTask<CommandResult> task,
        CancellationTokenSource stop,
        RecentLines recent
    )
    {
        Request = request;
        _task = task;
        _stop = stop;
        _recent = recent;
    }

    public ProcessRequest Request { get; }

    public int ProcessId => _task.ProcessId;

    public bool HasExited => _task.Task.IsCompleted;

    /// <summary>The exit code once it exited on its own; null while running or when it was stopped.</summary>
    public int? ExitCode => _task.Task.IsCompletedSuccessfully ? _task.Task.Result.ExitCode : null;

    /// <summary>Its last lines of output on one line (masked).</summary>
    public string RecentOutput(int lines = 3) => _recent.Tail(lines);

    /// <summary>
    /// Polls <paramref name="ready"/> until it answers true. Throws <see cref="ProcessException"/> naming the command
    /// when the process exits first or <paramref name="deadline"/> passes (the process is then stopped).
    /// </summary>
    public async Task WaitUntilReadyAsync(
        Func<CancellationToken, Task<bool>> ready,
        TimeSpan deadline,
        CancellationToken cancellationToken = default
    )
    {
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            if (HasExited)
            {
                var output = RecentOutput();
                throw new ProcessException(
                    $"'{Request.CommandLine}' "
                        + $"exited{(ExitCode is { } code ? $" with code {code}" : "")} "
                        + $"before it was ready{(output.Length > 0 ? ": " + output : "")}",
                    Request.ToolName
                );
            }

            if (await ready(cancellationToken))
                return;
            if (DateTime.UtcNow > until)
            {
                await StopAsync();
                var output = RecentOutput();
                throw new ProcessException(
                    $"'{Request.CommandLine}' was not ready within {ProcessRunner.Describe(deadline)} "
                        + $"and was stopped{(output.Length > 0 ? ": " + output : "")}",
                    Request.ToolName
                );
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>Kills the process tree and waits (at most 10 s) for it to go. False when it did not go in
    /// time.</summary>
    public async Task<bool> StopAsync()
    {
        if (!HasExited)
            await _stop.CancelAsync();
        try
        {
            await _task.Task.WaitAsync(StopDeadline);
        }
        catch (OperationCanceledException)
        {
            // the expected end of a stopped service
        }
        catch (TimeoutException)
        {
            return false;
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }
}
