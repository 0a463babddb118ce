using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using CliWrap;

namespace Pipeline.Processes;

/// <summary>
/// Starts every external process of the build and its adapters, with CliWrap underneath: arguments as a list, a
/// deadline on every wait (the whole process tree is killed when it passes), output captured whole and streamed line
/// by line through the request's mask, and one-line failures naming the tool.
/// </summary>
public static class ProcessRunner
{
    /// <summary>Runs to completion. Never throws for a non-zero exit code (see <see
    /// cref="ProcessResult.EnsureSuccess"/>).</summary>
    /// <exception cref="ProcessException">The tool could not start, or did not finish within <see
    /// cref="ProcessRequest.Timeout"/>.</exception>
    public static async Task<ProcessResult> RunAsync(
        ProcessRequest request,
        CancellationToken cancellationToken = default
    )
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var command = Command(request, stdout, stderr, onLine: null);
        using var timeout = new CancellationTokenSource(request.Timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var watch = Stopwatch.StartNew();
        try
        {
            var result = await StartOrExplain(request, () => command.ExecuteAsync(linked.Token));
            return new ProcessResult(request, result.ExitCode, Read(stdout), Read(stderr), watch.Elapsed);
        }
        catch (OperationCanceledException e)
            when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var partial = new ProcessResult(request, -1, Read(stdout), Read(stderr), watch.Elapsed).Tail();
            throw new ProcessException(
                $"'{request.CommandLine}' did not finish within {Describe(request.Timeout)} "
                    + $"and was stopped{(partial.Length > 0 ? "; last output: " + partial : "")}",
                request.ToolName,
                e
            );
        }
    }

    /// <summary>
    /// Starts a long-running process (a service) and returns at once; it runs until stopped or disposed.
    /// Output is streamed to <see cref="ProcessRequest.OnOutputLine"/> and its last lines kept for messages.
    /// </summary>
    public static BackgroundProcess Start(ProcessRequest request)
    {
        var recent = new RecentLines(20);
        var command = Command(request, stdout: null, stderr: null, onLine: recent.Add);
        var stop = new CancellationTokenSource();
        try
        {
            var task = StartOrExplain(request, () => command.ExecuteAsync(stop.Token));
            return new BackgroundProcess(request, task, stop, recent);
        }
        catch
        {
            stop.Dispose();
            throw;
        }
    }

    /// <summary>"10 s", "5 min": how deadlines read in messages.</summary>
    public static string Describe(TimeSpan span) =>
        span.TotalSeconds < 120 ? $"{span.TotalSeconds:0.#} s" : $"{span.TotalMinutes:0.#} min";

    private static Command Command(
        ProcessRequest request,
        StringBuilder? stdout,
        StringBuilder? stderr,
        Action<string>? onLine
    )
    {
        request.OnCommand?.Invoke(request.CommandLine);
        void Line(string line)
        {
            onLine?.Invoke(request.Mask(line));
            request.OnOutputLine?.Invoke(request.Mask(line));
        }

        var streams = request.OnOutputLine is not null || onLine is not null;
        PipeTarget Capture(StringBuilder? buffer)
        {
            var targets = new List<PipeTarget>();
            if (buffer is not null)
                targets.Add(PipeTarget.ToStringBuilder(buffer));
            if (streams)
                targets.Add(PipeTarget.ToDelegate(Line));
            return PipeTarget.Merge(targets);
        }

        var command = Cli.Wrap(request.FileName)
            .WithArguments(request.Arguments)
            .WithWorkingDirectory(request.WorkingDirectory ?? Directory.GetCurrentDirectory())
            .WithEnvironmentVariables(Environment(request))
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(Capture(stdout))
            .WithStandardErrorPipe(Capture(stderr));
        return request.StandardInput is null
            ? command
            : command.WithStandardInputPipe(PipeSource.FromString(request.StandardInput));
    }

    /// <summary>The overrides CliWrap applies on top of the inherited environment; null removes a variable.</summary>
    private static Dictionary<string, string?> Environment(ProcessRequest request)
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (request.RemoveEnvironmentPrefixes.Count > 0)
        {
            foreach (var name in System.Environment.GetEnvironmentVariables().Keys.Cast<string>())
            {
                if (
                    request.RemoveEnvironmentPrefixes.Any(prefix =>
                        name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                    )
                )
                    variables[name] = null;
            }
        }

        foreach (var (name, value) in request.Environment)
            variables[name] = value;
        return variables;
    }

    private static T StartOrExplain<T>(ProcessRequest request, Func<T> start)
    {
        StartedTools.Record(request.FileName);
        try
        {
            return start();
        }
        catch (Win32Exception e)
        {
            throw new ProcessException(
                $"'{request.ToolName}' could not be started ({FirstLine(e.Message)}); is it installed and on PATH?",
                request.ToolName,
                e
            );
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    private static string Read(StringBuilder buffer)
    {
        lock (buffer)
            return buffer.ToString();
    }
}
