using System.Diagnostics;

namespace Pipeline.Setup;

/// <summary>
/// `pipeline setup --generate-workflows`: once every file is written, the repository's new build writes its
/// .github/workflows (`./build.sh --generate-workflows`, build.ps1 on Windows). The build is the only place that knows
/// the workflows (they come from its [GitHubActions] attributes), so setup runs it rather than writing YAML itself.
/// Its output is passed through; a failure is exit 1 (the files setup wrote stay: they are complete and correct).
/// </summary>
internal static class WorkflowGeneration
{
    /// <summary>A first run compiles the build and restores the library: generous, but never endless.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(10);

    public static int Run(string root, TextWriter output)
    {
        var start = OperatingSystem.IsWindows()
            ? new ProcessStartInfo(
                "pwsh",
                ["-NoProfile", "-NonInteractive", "-File", Path.Combine(root, "build.ps1"), "--generate-workflows"]
            )
            : new ProcessStartInfo("bash", [Path.Combine(root, "build.sh"), "--generate-workflows"]);
        start.WorkingDirectory = root;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Write(output, e.Data);
        process.ErrorDataReceived += (_, e) => Write(output, e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            output.WriteLine(
                $"error: cannot run {start.FileName} to generate the workflows ({e.Message}); "
                    + $"the files above are written, run ./build.sh --generate-workflows yourself"
            );
            return 1;
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(Deadline))
        {
            process.Kill(entireProcessTree: true);
            output.WriteLine(
                $"error: ./build.sh --generate-workflows did not end within {Deadline.TotalMinutes:0} "
                    + $"min; the files above are written, run it yourself to see why"
            );
            return 1;
        }

        process.WaitForExit();
        if (process.ExitCode == 0)
            return 0;
        output.WriteLine(
            $"error: ./build.sh --generate-workflows failed (exit {process.ExitCode}); "
                + $"the files above are written, fix what it says and run it again"
        );
        return 1;
    }

    private static void Write(TextWriter output, string? line)
    {
        if (line is null)
            return;
        lock (output)
            output.WriteLine(line);
    }
}
