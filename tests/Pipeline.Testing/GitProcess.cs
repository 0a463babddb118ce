using System.Diagnostics;

namespace Pipeline.Testing;

/// <summary>Runs the real git binary for test setup and independent checks (deliberately not through the code under
/// test).</summary>
public static class GitProcess
{
    private static readonly Lazy<string?> MissingReason = new(() =>
    {
        try
        {
            Run(Path.GetTempPath(), "--version");
            return null;
        }
        catch (Exception e)
        {
            return $"git is not installed ({e.Message}); apt-get install git";
        }
    });

    /// <summary>Why git tests cannot run here, or null.</summary>
    public static string? Missing => MissingReason.Value;

    /// <summary>A fixed identity and no user/system config, so tests behave the same on every machine.</summary>
    public static readonly IReadOnlyDictionary<string, string> IsolatedEnvironment = new Dictionary<string, string>
    {
        ["GIT_CONFIG_NOSYSTEM"] = "1",
        ["GIT_AUTHOR_NAME"] = "Test Author",
        ["GIT_AUTHOR_EMAIL"] = "author@example.test",
        ["GIT_COMMITTER_NAME"] = "Test Committer",
        ["GIT_COMMITTER_EMAIL"] = "committer@example.test",
        ["GIT_TERMINAL_PROMPT"] = "0",
        ["LC_ALL"] = "C",
    };

    public static string Run(string workingDirectory, params string[] arguments) =>
        RunWithInput(workingDirectory, null, arguments);

    public static string RunWithInput(string workingDirectory, string? standardInput, params string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (key, value) in IsolatedEnvironment)
            start.Environment[key] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start git");
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"git {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr.Result}"
            );
        }

        return stdout.Result.Trim();
    }
}
