using System.Diagnostics;

namespace Pipeline.Setup.Tests;

/// <summary>Runs a program to its end within a deadline and returns its exit code and output (stdout then
/// stderr).</summary>
internal static class Command
{
    public static (int Exit, string Output) Run(
        string program,
        IEnumerable<string> args,
        string directory,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? deadline = null
    )
    {
        var start = new ProcessStartInfo(program, args)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
                start.Environment.Remove(name);
            else
                start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var limit = deadline ?? TimeSpan.FromMinutes(2);
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(
                $"{Path.GetFileName(program)} {string.Join(' ', args)} did not end within {limit.TotalSeconds:0} s"
            );
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
