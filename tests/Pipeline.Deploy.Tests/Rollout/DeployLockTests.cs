using Pipeline.Deploy.Locking;
using Pipeline.Deploy.Tests.Support;
using Pipeline.Testing;

namespace Pipeline.Deploy.Tests.Rollout;

/// <summary>
/// The deploy lock as a marker on a real container host (Podman's API): a second holder waits and is refused naming the
/// first; a holder whose process is gone is taken over; unparseable labels are reported, and taken only on
/// --force-unlock.
/// </summary>
public sealed class DeployLockTests(DeployRig rig) : IClassFixture<DeployRig>
{
    [DeployFact]
    public async Task A_second_holder_waits_then_is_refused_naming_the_first_and_gets_the_lock_once_released()
    {
        await using var sandbox = await DeploySandbox.StartAsync(rig);
        var first = LockHolder.Current("run 1", "deploy", "alice") with { Machine = "build-box-7", RunId = "first" };
        var second = LockHolder.Current("run 2", "deploy", "bob") with { RunId = "second" };
        var log = new RecordingLogger();

        var held = await DeployLock.AcquireAsync(
            sandbox.Host,
            sandbox.Environment,
            first,
            TimeSpan.FromSeconds(1),
            force: false,
            log,
            CancellationToken.None
        );
        var refused = await Assert.ThrowsAsync<DeployException>(() =>
            DeployLock.AcquireAsync(
                sandbox.Host,
                sandbox.Environment,
                second,
                TimeSpan.FromSeconds(1),
                force: false,
                log,
                CancellationToken.None
            )
        );

        Assert.Equal(
            $"{sandbox.Environment.Name} is locked by alice on build-box-7 (pid {first.Pid}, "
                + $"run 1, deploy) since {first.Since.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z; waited "
                + $"1s (--deploy-lock-timeout). If that run is gone, run again with --force-unlock",
            refused.Message
        );
        await held.DisposeAsync();
        await using var after = await DeployLock.AcquireAsync(
            sandbox.Host,
            sandbox.Environment,
            second,
            TimeSpan.FromSeconds(1),
            force: false,
            log,
            CancellationToken.None
        );
        Assert.Null(after.Previous);
    }

    [DeployFact]
    public async Task The_lock_of_a_process_that_is_gone_is_taken_over_and_bad_labels_only_with_force_unlock()
    {
        await using var sandbox = await DeploySandbox.StartAsync(rig);
        using var ended = System.Diagnostics.Process.Start("true")!;
        await ended.WaitForExitAsync();
        var killed = LockHolder.Current("run 1", "deploy", "alice") with
        {
            Pid = ended.Id,
            ProcessStart = 1,
            RunId = "killed",
        };
        var me = LockHolder.Current("run 2", "deploy", "bob") with { RunId = "me" };
        var log = new RecordingLogger();
        Assert.True(
            await sandbox.Host.TryCreateMarkerAsync(
                DeployLock.MarkerName(sandbox.Environment.Name),
                killed.ToLabels(),
                CancellationToken.None
            )
        );

        await using (
            var taken = await DeployLock.AcquireAsync(
                sandbox.Host,
                sandbox.Environment,
                me,
                TimeSpan.FromSeconds(1),
                force: false,
                log,
                CancellationToken.None
            )
        )
        {
            Assert.Equal($"process {ended.Id} is gone", taken.Previous?.Why);
            Assert.StartsWith(
                $"{sandbox.Environment.Name}: took over the deploy lock of alice "
                    + $"on {Environment.MachineName} (pid {ended.Id}, run 1, deploy)",
                taken.Previous!.Line
            );
        }

        Assert.True(
            await sandbox.Host.TryCreateMarkerAsync(
                DeployLock.MarkerName(sandbox.Environment.Name),
                new Dictionary<string, string> { ["org.pipeline.lock.pid"] = "not-a-pid" },
                CancellationToken.None
            )
        );
        var refused = await Assert.ThrowsAsync<DeployException>(() =>
            DeployLock.AcquireAsync(
                sandbox.Host,
                sandbox.Environment,
                me,
                TimeSpan.FromSeconds(1),
                force: false,
                log,
                CancellationToken.None
            )
        );
        Assert.Contains(
            "whose labels do not parse (org.pipeline.lock.pid=not-a-pid), so its holder cannot be told",
            refused.Message
        );
        await using var forced = await DeployLock.AcquireAsync(
            sandbox.Host,
            sandbox.Environment,
            me,
            TimeSpan.FromSeconds(1),
            force: true,
            log,
            CancellationToken.None
        );
        Assert.Equal("--force-unlock", forced.Previous?.Why);
        Assert.Null(forced.Previous?.Found);
    }
}
