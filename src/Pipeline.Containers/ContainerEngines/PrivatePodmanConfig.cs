using Pipeline.Processes;

namespace Pipeline.Containers.ContainerEngines;

/// <summary>
/// The containers.conf a private podman service runs with: runc with cgroupfs and explicit ulimits, the settings that
/// make containers start on cgroup-restricted runners and sandboxes (a nofile limit above the current one is refused
/// there, so it is the process's own). Written into a folder of the caller's (Deploy: next to the environment's state;
/// tests: next to their private service), never over the system's. Its networks are its own too: root's podman keeps
/// them in /etc/containers/networks for every store, and the deploy lock (a network named after the environment) of
/// one private service must not be seen, or taken, by another.
/// </summary>
public static class PrivatePodmanConfig
{
    private static readonly Lock Writing = new();

    public static string Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "containers.conf");
        var nofile = OpenFilesLimit();
        var runtime = ToolLocator.IsInstalled("runc") ? "runc" : "crun";
        var text = $"""
            # Written by Pipeline for a private podman service.
            [containers]
            default_ulimits = ["nofile={nofile}:{nofile}", "nproc=4096:4096"]
            [engine]
            runtime = "{runtime}"
            cgroup_manager = "cgroupfs"
            [network]
            network_config_dir = "{Path.Combine(directory, "networks")}"

            """;
        // Services of one environment deploy side by side, each starting its service: one writer at a time, and a file
        // that already says this is left alone (a service starting now never reads it half-written).
        lock (Writing)
        {
            if (!File.Exists(path) || File.ReadAllText(path) != text)
                File.WriteAllText(path, text);
        }

        return path;
    }

    /// <summary>The soft open-files limit of this process (from /proc/self/limits), 1024 when unreadable.</summary>
    public static long OpenFilesLimit()
    {
        try
        {
            var line = File.ReadLines("/proc/self/limits")
                .FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            var fields = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields is { Length: > 3 } && long.TryParse(fields[3], out var soft) ? soft : 1024;
        }
        catch (IOException)
        {
            return 1024;
        }
    }
}
