using System.Diagnostics;
using System.Globalization;

namespace Pipeline.Deploy.Locking;

/// <summary>
/// Who holds an environment's deploy lock, as its labels on the container host say: the person and machine, the
/// process (pid, boot and start time, so a reused pid or a rebooted machine is never mistaken for the holder), the
/// run (CI run URL or "local build on HOST"), what it does and since when.
/// </summary>
public sealed record LockHolder(
    string User,
    string Machine,
    int Pid,
    string BootId,
    long ProcessStart,
    string Run,
    string RunId,
    string Action,
    DateTimeOffset Since
)
{
    public const string Prefix = "org.pipeline.lock.";

    /// <summary>This process, once per process: services of one run share the run id (the lock is re-entrant within
    /// it).</summary>
    public static LockHolder Current(string run, string action, string user) =>
        new(
            user,
            Environment.MachineName,
            Environment.ProcessId,
            ThisBoot,
            ThisProcessStart,
            run,
            ThisRunId,
            action,
            DateTimeOffset.UtcNow
        );

    private static readonly string ThisRunId = Guid.NewGuid().ToString("N");

    private static string ThisBoot =>
        File.Exists("/proc/sys/kernel/random/boot_id")
            ? File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim()
            : "";

    private static long ThisProcessStart => StartOf(Environment.ProcessId) ?? 0;

    public bool IsThisRun => RunId == ThisRunId;

    /// <summary>For messages: "alice on laptop (pid 4242, local build on laptop, deploy) since 2026-12-06
    /// 00:12:03Z".</summary>
    public string Describe() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{User} on {Machine} (pid {Pid}, {Run}, {Action}) since {Since.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z"
        );

    public IReadOnlyDictionary<string, string> ToLabels() =>
        new Dictionary<string, string>
        {
            [Prefix + "user"] = User,
            [Prefix + "machine"] = Machine,
            [Prefix + "pid"] = Pid.ToString(CultureInfo.InvariantCulture),
            [Prefix + "boot-id"] = BootId,
            [Prefix + "process-start"] = ProcessStart.ToString(CultureInfo.InvariantCulture),
            [Prefix + "run"] = Run,
            [Prefix + "run-id"] = RunId,
            [Prefix + "action"] = Action,
            [Prefix + "since"] = Since.ToString("O", CultureInfo.InvariantCulture),
        };

    /// <returns>Null when the labels do not describe a holder (missing or malformed values).</returns>
    public static LockHolder? Parse(IReadOnlyDictionary<string, string> labels)
    {
        string? Get(string key) => labels.TryGetValue(Prefix + key, out var value) && value.Length > 0 ? value : null;
        if (
            Get("machine") is not { } machine
            || Get("run-id") is not { } runId
            || !int.TryParse(Get("pid"), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !DateTimeOffset.TryParse(
                Get("since"),
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal,
                out var since
            )
        )
            return null;
        _ = long.TryParse(Get("process-start"), NumberStyles.None, CultureInfo.InvariantCulture, out var start);
        return new LockHolder(
            Get("user") ?? "someone",
            machine,
            pid,
            Get("boot-id") ?? "",
            start,
            Get("run") ?? "an unnamed run",
            runId,
            Get("action") ?? "deploy",
            since
        );
    }

    /// <summary>
    /// Null while the holder may be alive; else why it provably is not: it ran on this machine and its process is gone
    /// (the pid is free, or now belongs to a process that started later), or this machine rebooted since. A holder on
    /// another machine can never be proven gone from here.
    /// </summary>
    public string? Gone()
    {
        if (!string.Equals(Machine, Environment.MachineName, StringComparison.Ordinal))
            return null;
        if (BootId.Length > 0 && ThisBoot.Length > 0 && BootId != ThisBoot)
            return "this machine restarted since";
        var start = StartOf(Pid);
        if (start is null)
            return $"process {Pid} is gone";
        return ProcessStart != 0 && start != ProcessStart
            ? $"process {Pid} is gone (the pid now belongs to another process)"
            : null;
    }

    /// <summary>The start time (in clock ticks since boot, /proc/PID/stat field 22) of a live process; null when
    /// none.</summary>
    private static long? StartOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                ? ticks
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException)
        {
            return OperatingSystem.IsLinux() ? null : ProcessAlive(pid);
        }
    }

    private static long? ProcessAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : process.StartTime.ToUniversalTime().Ticks;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
