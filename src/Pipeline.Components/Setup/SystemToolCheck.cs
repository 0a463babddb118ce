using Pipeline.Engine;

namespace Pipeline.Components.Setup;

/// <summary>
/// Finds missing system tools and, when the build runs as root on Debian or Ubuntu (as CI does), installs them with apt-get.
/// Anywhere else it stops with the exact command to run, before any target has done work.
/// </summary>
public static class SystemToolCheck
{
    public static IReadOnlyList<SystemTool> Missing(IEnumerable<SystemTool> tools) => tools.Where(t => !OnPath(t.Command)).ToList();

    public static async Task EnsureAsync(IReadOnlyList<SystemTool> tools, bool allowInstall)
    {
        var missing = Missing(tools);
        if (missing.Count == 0) return;
        var packages = missing.Select(t => t.DebianPackage).Distinct().ToArray();
        var what = string.Join(", ", missing.Select(t => $"{t.Command} (for {t.NeededFor})"));
        var command = $"apt-get update && apt-get install -y {string.Join(' ', packages)}";
        if (!allowInstall || !IsRoot() || !File.Exists("/etc/debian_version"))
        {
            throw new BuildFailure($"Missing system tools: {what}. Install them first: sudo sh -c '{command}'");
        }

        Log.Info($"Installing missing system tools as root: {string.Join(' ', packages)}");
        var quiet = new ToolOptions { Echo = false, Environment = new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" } };
        await Tool.RunAsync("apt-get", ["update", "-qq"], quiet);
        await Tool.RunAsync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", .. packages], quiet);
        if (Missing(missing) is { Count: > 0 } still) throw new BuildFailure($"apt-get installed {string.Join(' ', packages)} but {string.Join(", ", still.Select(t => t.Command))} is still not on PATH");
    }

    public static bool OnPath(string command)
        => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, command)));

    private static bool IsRoot() => Environment.UserName == "root" || Environment.GetEnvironmentVariable("EUID") == "0" || (OperatingSystem.IsLinux() && File.Exists("/proc/self/status") && File.ReadLines("/proc/self/status").Any(l => l.StartsWith("Uid:") && l.Split('\t', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) == "0"));
}
