using Pipeline.Engine.Execution;
using Pipeline.Engine.Paths;

namespace Pipeline.Engine.Hosts;

/// <summary>
/// Holds this repository's state folder for one build on a self-hosted runner: two runner instances of one user on one
/// machine share <c>~/.local/state/pipeline/&lt;owner&gt;/&lt;name&gt;</c> (the failover ledger, the local registry,
/// deploy history), and two builds writing it at once would interleave them. The lock is an OS file lock on
/// <c>.lock</c> (released by the kernel if the build dies); a second build waits for it, saying so, up to a deadline,
/// then stops in one line.
/// </summary>
public sealed class StateFolderLock : IDisposable
{
    private readonly FileStream _file;

    private StateFolderLock(FileStream file) => _file = file;

    public static async Task<StateFolderLock> AcquireAsync(
        AbsolutePath folder,
        TimeSpan deadline,
        Action<string> say,
        CancellationToken cancellation = default
    )
    {
        Directory.CreateDirectory(folder);
        var path = folder / ".lock";
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var announced = false;
        while (true)
        {
            try
            {
                var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

                // Who holds it, for the one a second build prints (the lock file itself cannot be read while held).
                File.WriteAllText(
                    folder / ".lock-holder",
                    $"{Environment.ProcessId} since {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss}Z "
                        + $"{Environment.GetEnvironmentVariable("RUNNER_NAME")}".TrimEnd()
                        + "\n"
                );
                return new StateFolderLock(file);
            }
            catch (IOException) when (waited.Elapsed < deadline)
            {
                if (!announced)
                    say(
                        $"state folder {folder} is in use by another build "
                            + $"({Holder(folder)}); waiting up to {deadline.TotalMinutes:0} min"
                    );
                announced = true;
                await Task.Delay(TimeSpan.FromSeconds(1), cancellation);
            }
            catch (IOException)
            {
                throw new BuildFailure(
                    $"state folder {folder} stayed in use by another build ({Holder(folder)}) "
                        + $"for {deadline.TotalMinutes:0} min; two runner instances of one user share "
                        + $"it: give each its own PIPELINE_STATE_HOME, or let them run one at a time"
                );
            }
        }
    }

    private static string Holder(AbsolutePath folder)
    {
        try
        {
            return File.ReadAllText(folder / ".lock-holder").Trim() is { Length: > 0 } holder
                ? "pid " + holder
                : "holder unknown";
        }
        catch (IOException)
        {
            return "holder unknown";
        }
    }

    public void Dispose() => _file.Dispose();
}
