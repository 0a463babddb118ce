using Pipeline.Engine.Processes;
using Pipeline.Processes;

namespace Pipeline.Components.Setup;

/// <summary>
/// How this machine can install Debian packages without a prompt: apt-get as root, <c>sudo -n apt-get</c> with
/// passwordless sudo, or not at all (with the reason, for the message).
/// </summary>
public sealed class PackageInstaller
{
    private readonly string[] _prefix;

    private PackageInstaller(bool canInstall, string describe, string[] prefix)
    {
        CanInstall = canInstall;
        Describe = describe;
        _prefix = prefix;
    }

    public bool CanInstall { get; }

    /// <summary>"apt-get as root", "sudo -n apt-get", or why installing is not possible.</summary>
    public string Describe { get; }

    public static PackageInstaller None(string why) => new(false, why, []);

    public static async Task<PackageInstaller> FindAsync()
    {
        if (!File.Exists("/etc/debian_version") || !ToolLocator.IsInstalled("apt-get"))
            return None("not Debian or Ubuntu: no apt-get");
        if (Environment.IsPrivilegedProcess)
            return new(true, "apt-get as root", []);
        if (!ToolLocator.IsInstalled("sudo"))
            return None($"running as {Environment.UserName}, not root, and sudo is not installed");
        // -n: never prompt. A sudo that wants a password fails at once instead of hanging the build.
        var probe = await Tool.RunAsync(
            "sudo",
            ["-n", "true"],
            new ToolOptions
            {
                Echo = false,
                AllowFailure = true,
                Timeout = TimeSpan.FromSeconds(10),
            }
        );
        return probe.ExitCode == 0
            ? new(true, "sudo -n apt-get", ["sudo", "-n"])
            : None($"running as {Environment.UserName}, not root, and sudo asks for a password");
    }

    /// <summary>Runs apt-get update and install; returns null on success, else the last line apt-get printed.</summary>
    public async Task<string?> InstallAsync(IReadOnlyList<string> packages)
    {
        var quiet = new ToolOptions
        {
            Echo = false,
            AllowFailure = true,
            Environment = new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" },
        };
        foreach (
            var arguments in new[]
            {
                new[] { "apt-get", "update", "-qq" },
                ["apt-get", "install", "-y", "-qq", "--no-install-recommends", .. packages],
            }
        )
        {
            // sudo resets the environment; DEBIAN_FRONTEND goes through as an assignment sudo accepts on its command
            // line.
            var command =
                _prefix.Length == 0 ? arguments : [.. _prefix, "DEBIAN_FRONTEND=noninteractive", .. arguments];
            var result = await Tool.RunAsync(command[0], command[1..], quiet);
            if (result.ExitCode != 0)
                return LastLine(result);
        }

        return null;
    }

    private static string LastLine(ToolResult result) =>
        (result.StandardError + "\n" + result.StandardOutput)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault()
        ?? $"exit code {result.ExitCode}";
}
