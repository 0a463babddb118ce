using System.Diagnostics;
using Pipeline.Processes;

namespace Pipeline.Testing;

/// <summary>
/// PowerShell 7.6.10 as a dotnet tool (7.7.0, the default, is not served), installed once into the user's cache folder
/// so build.ps1 can run on Linux the way it runs on Windows.
/// </summary>
public static class PowerShellTool
{
    public const string Version = "7.6.10";
    private static readonly Lazy<string> Installed = new(Install);

    /// <summary>The pwsh executable; the first call installs it (about half a minute), within a five-minute
    /// deadline.</summary>
    public static string Path => Installed.Value;

    private static string Install()
    {
        var folder = System.IO.Path.Combine(
            Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
            ".cache",
            "pipeline-tests",
            "pwsh-" + Version
        );
        var pwsh = System.IO.Path.Combine(folder, "pwsh");
        if (File.Exists(pwsh))
            return pwsh;
        var start = new ProcessStartInfo(
            "dotnet",
            ["tool", "install", "--tool-path", folder, "PowerShell", "--version", Version]
        )
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("installing the PowerShell dotnet tool took more than 5 minutes");
        }

        if (process.ExitCode != 0 || !File.Exists(pwsh))
            throw new InvalidOperationException(
                $"could not install the PowerShell dotnet tool {Version}: {stdout.Result}{stderr.Result}"
            );
        return pwsh;
    }

    /// <summary>
    /// The program and leading arguments that start PowerShell without looking dotnet up on PATH: the tool's shim runs
    /// whatever <c>dotnet</c> PATH names, which breaks tests that put a stand-in there. This is the real dotnet and
    /// pwsh.dll.
    /// </summary>
    public static (string Program, string[] Arguments) Direct()
    {
        var dotnet = ToolLocator.Find("dotnet") ?? throw new InvalidOperationException("dotnet is not on PATH");
        var resolved = new FileInfo(dotnet).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? dotnet;
        var dll =
            Directory
                .EnumerateFiles(
                    System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, ".store"),
                    "pwsh.dll",
                    SearchOption.AllDirectories
                )
                .FirstOrDefault(f =>
                    f.Contains(
                        $"{System.IO.Path.DirectorySeparatorChar}unix{System.IO.Path.DirectorySeparatorChar}",
                        StringComparison.Ordinal
                    )
                )
            ?? throw new InvalidOperationException("pwsh.dll not found in the PowerShell tool's store");
        return (resolved, [dll]);
    }
}
