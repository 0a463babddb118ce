using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Pipeline.Testing;

/// <summary>
/// The one way a test runs a build as a process: this repository's compiled build (<c>_build.dll</c>, beside the
/// tests) or a repository's <c>./build.sh</c>, in a repository root, its output (stdout and stderr) read line by line
/// as it comes, so a test can wait for a step, signal the process and read what it said, or run it to its end within a
/// deadline. Plain output (NO_COLOR) and no GITHUB_ACTIONS of an outer run. Started through perl, which resets SIGINT
/// to its default: a test runner in the background ignores SIGINT, its children inherit that, and Ctrl-C would never
/// arrive.
/// </summary>
public sealed class BuildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _waits = [];

    private BuildProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    /// <summary>Starts the compiled build (<c>dotnet _build.dll … --root <paramref name="root"/></c>).</summary>
    public static BuildProcess Start(string root, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var build = Path.Combine(AppContext.BaseDirectory, "_build.dll");
        return StartIn(root, environment, ["dotnet", build, .. args, "--root", root]);
    }

    /// <summary>Starts <c>./build.sh</c> of the repository in <paramref name="root"/>.</summary>
    public static BuildProcess StartScript(
        string root,
        IReadOnlyDictionary<string, string> environment,
        params string[] args
    ) => StartIn(root, environment, ["bash", "./build.sh", .. args]);

    /// <summary>Runs <c>./build.sh</c> to its end; the exit code and everything it printed.</summary>
    public static (int Exit, string Output) RunScript(string root, TimeSpan deadline, params string[] args)
    {
        using var process = StartScript(root, new Dictionary<string, string>(), args);
        var exit = process.WaitForExitAsync(deadline).GetAwaiter().GetResult();
        return (exit, process.Output);
    }

    private static BuildProcess StartIn(
        string root,
        IReadOnlyDictionary<string, string> environment,
        IEnumerable<string> command
    )
    {
        var start = new ProcessStartInfo("perl")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die", .. command])
            start.ArgumentList.Add(argument);
        start.Environment["NO_COLOR"] = "1";
        start.Environment.Remove("GITHUB_ACTIONS");
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        var process = new BuildProcess(Process.Start(start)!);
        process._process.OutputDataReceived += (_, e) => process.Add(e.Data);
        process._process.ErrorDataReceived += (_, e) => process.Add(e.Data);
        process._process.BeginOutputReadLine();
        process._process.BeginErrorReadLine();
        return process;
    }

    private void Add(string? line)
    {
        if (line is null)
            return;
        lock (_output)
        {
            _output.AppendLine(line);
            foreach (var wait in _waits.Where(w => line.Contains(w.Text, StringComparison.Ordinal)))
                wait.Seen.TrySetResult();
        }
    }

    /// <summary>Waits until a line containing <paramref name="text"/> has been written (fails naming it after <paramref
    /// name="deadline"/>, or when the process ends first).</summary>
    public async Task WaitForLineAsync(string text, TimeSpan deadline)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            if (_output.ToString().Contains(text, StringComparison.Ordinal))
                return;
            _waits.Add((text, seen));
        }

        var ended = _process.WaitForExitAsync();
        var first = await Task.WhenAny(seen.Task, ended, Task.Delay(deadline));
        if (first == seen.Task)
            return;
        throw new TimeoutException(
            $"'{text}' did not appear "
                + $"{(first == ended ? "before the build ended" : $"within {deadline.TotalSeconds:0} s")}:\n{Output}"
        );
    }

    /// <summary>Sends <paramref name="signal"/> (TERM, INT, KILL, …) to the build.</summary>
    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <returns>The exit code (128 + the signal's number when a signal ended it).</returns>
    public async Task<int> WaitForExitAsync(TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            throw new TimeoutException($"the build did not end within {deadline.TotalSeconds:0} s:\n{Output}");
        }

        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill();
        _process.Dispose();
    }
}
