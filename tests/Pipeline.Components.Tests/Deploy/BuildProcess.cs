using System.Diagnostics;
using System.Text;

namespace Pipeline.Components.Tests.Deploy;

/// <summary>
/// This repository's compiled build (<c>_build.dll</c>, beside the tests) running as its own process in a repository
/// root, its output read line by line as it comes, so a test can wait for a step, signal the process and read what it
/// said. Started through perl, which resets SIGINT to its default: a test runner in the background ignores SIGINT, its
/// children inherit that, and Ctrl-C would never arrive.
/// </summary>
internal sealed class BuildProcess : IDisposable
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

    public static BuildProcess Start(string root, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var build = Path.Combine(AppContext.BaseDirectory, "_build.dll");
        var start = new ProcessStartInfo("perl")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (
            var argument in (string[])
                ["-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die", "dotnet", build, .. args, "--root", root]
        )
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

    public void Signal(string signal)
    {
        using var kill = Process.Start(
            "kill",
            ["-" + signal, Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]
        );
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
