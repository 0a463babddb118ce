using System.Diagnostics;
using Pipeline.Deploy.Environments;
using Pipeline.Deploy.Hosts;
using Pipeline.Deploy.Tests.Support;
using Pipeline.Testing;

namespace Pipeline.Deploy.Tests.Rollout;

/// <summary>
/// Interrupted rollouts on real containers behind a real HAProxy: a cancelled canary undoes itself on the way out; a
/// rollout a killed run left half-done (the state it leaves, made by hand here) is repaired by the next run; a dead
/// slot goes to weight 0 before a rollback; a kept release is never removed for failing its health check.
/// </summary>
public sealed class InterruptedRolloutTests(DeployRig rig) : IClassFixture<DeployRig>
{
    [DeployFact]
    public async Task A_cancelled_canary_returns_new_version_traffic_to_zero_within_5_seconds_with_no_failed_request()
    {
        await using var sandbox = await DeploySandbox.StartAsync(
            rig,
            e => e with { CanaryWeight = 30, CanaryWindow = TimeSpan.FromSeconds(60) }
        );
        await sandbox.DeployAsync("v1");
        var v2 = await sandbox.ReleaseAsync("v2");
        using var cancel = new CancellationTokenSource();
        RequestLoop loop;
        TimeSpan untilZero;
        DeployException failure;
        await using (loop = new RequestLoop(sandbox.Frontend))
        {
            var deploy = sandbox.Deployer.DeployAsync(
                v2,
                sandbox.Options() with
                {
                    InterruptedBy = () => "SIGTERM",
                },
                cancel.Token
            );
            await WaitUntilAsync(async () =>
                (await sandbox.Switch.ReadAsync(CancellationToken.None)).Values.Any(s => s.Weight == 30)
            );
            await Task.Delay(500); // the canary takes traffic
            var signalled = Stopwatch.StartNew();
            await cancel.CancelAsync();
            // The promise is about traffic: the moment the switch shows green at 0, not the end of the clean-up after
            // it
            // (removing green's container can take seconds on a loaded machine).
            untilZero = await UntilGreenAtZeroAsync(sandbox, signalled);
            failure = await Assert.ThrowsAsync<DeployException>(() => deploy);
            var stats = await sandbox.Switch.ReadAsync(CancellationToken.None);
            Assert.Equal([0, 100], stats.Values.Select(s => s.Weight).Order());
            await Task.Delay(300);
            await loop.StopAsync();
        }

        Assert.True(untilZero < TimeSpan.FromSeconds(5), $"green still took traffic {untilZero} after the signal");
        Assert.Empty(loop.Failures);
        Assert.True(
            loop.Bodies.ContainsKey("v2"),
            "the canary took no traffic before the signal: " + string.Join(", ", loop.Bodies)
        );
        Assert.StartsWith(
            "interrupted by SIGTERM during the canary; green's weight back to 0 and green removed, blue sha256:",
            failure.Message
        );
        Assert.Equal("v1", await sandbox.ServedAsync());
        var only = Assert.Single(await sandbox.ContainersAsync());
        Assert.Equal(rig.Digests["v1"], only.Labels.Digest);
        var record = sandbox.Ledger.Read(sandbox.Environment.Name)[^1];
        Assert.Equal(("interrupted", rig.Digests["v2"]), (record.Outcome, record.Digest));
    }

    [DeployFact]
    public async Task A_canary_left_at_10_percent_by_a_killed_run_is_repaired_by_the_next_deploy_and_recorded()
    {
        await using var sandbox = await DeploySandbox.StartAsync(rig);
        var (blue, greenSlot, v2) = await LeaveHalfDoneCanaryAsync(sandbox);
        // ... its in-flight note (the attempt ran on this machine) ...
        await sandbox.Ledger.BeginAsync(
            new Ledger.DeployRecord(
                "deploy",
                sandbox.Environment.Name,
                DeploySandbox.Service,
                v2.Digest,
                blue.Labels.Digest,
                v2.Commit,
                v2.Tag,
                "killed",
                "a killed run",
                DateTimeOffset.UtcNow,
                DateTimeOffset.UtcNow,
                "in-progress",
                ""
            )
        );
        // ... and a ledger line cut off by the kill.
        await File.AppendAllTextAsync(sandbox.Ledger.PathFor(sandbox.Environment.Name), "{\"action\":\"depl");
        var warnings = new RecordingLogger();
        var deployer = sandbox.DeployerWith(warnings);

        var result = await deployer.DeployAsync(
            await sandbox.ReleaseAsync("v1"),
            sandbox.Options(canary: false),
            CancellationToken.None
        );

        var repair = Assert.Single(
            warnings.Lines,
            l => l.Contains("found a half-done rollout", StringComparison.Ordinal)
        );
        Assert.Contains(
            $"slot {greenSlot.ServerName()} ({v2.ShortDigest}) at weight 10 next to slot "
                + $"{blue.Slot.Value.ServerName()}",
            repair
        );
        Assert.Contains(
            $"slot {blue.Slot.Value.ServerName()} back to all traffic, slot {greenSlot.ServerName()} to weight 0 and "
                + $"sample-{sandbox.Environment.Name}-killed-{greenSlot.ServerName()} removed",
            repair
        );
        Assert.Contains("an unfinished deploy of " + v2.ShortDigest, repair);
        Assert.Single(warnings.Lines, l => l.Contains("its last line is cut off", StringComparison.Ordinal));
        Assert.Equal("v1", await sandbox.ServedAsync());
        Assert.Equal(
            [0, 100],
            (await sandbox.Switch.ReadAsync(CancellationToken.None)).Values.Select(s => s.Weight).Order()
        );
        Assert.DoesNotContain(await sandbox.ContainersAsync(), c => c.Labels.Digest == v2.Digest);
        var ledger = sandbox.Ledger.Read(sandbox.Environment.Name);
        Assert.Equal(["succeeded", "interrupted", "succeeded"], ledger.Select(r => r.Outcome));
        Assert.Equal(v2.Digest, ledger[1].Digest);
        Assert.Contains("the next run repaired it", ledger[1].Detail);
        Assert.Equal(rig.Digests["v1"], result.Release.Digest);
    }

    /// <summary>
    /// The same half-done canary, left by a run on another machine: this machine has no note of that attempt, and the
    /// repair is recorded all the same, as a repair line naming what was found and done, before the run's own line.
    /// </summary>
    [DeployFact]
    public async Task A_canary_left_half_done_by_a_run_on_another_machine_is_repaired_with_a_ledger_line_of_its_own()
    {
        await using var sandbox = await DeploySandbox.StartAsync(rig);
        var (blue, greenSlot, v2) = await LeaveHalfDoneCanaryAsync(sandbox);
        var warnings = new RecordingLogger();

        await sandbox
            .DeployerWith(warnings)
            .DeployAsync(await sandbox.ReleaseAsync("v1"), sandbox.Options(canary: false), CancellationToken.None);

        Assert.Single(warnings.Lines, l => l.Contains("found a half-done rollout", StringComparison.Ordinal));
        var ledger = sandbox.Ledger.Read(sandbox.Environment.Name);
        Assert.Equal(
            ["deploy/succeeded", "repair/repaired", "deploy/succeeded"],
            ledger.Select(r => $"{r.Action}/{r.Outcome}")
        );
        Assert.Equal(blue.Labels.Digest, ledger[1].Digest); // what serves after the repair
        Assert.Equal(
            $"found a half-done rollout: slot {greenSlot.ServerName()} ({v2.ShortDigest}) at weight 10 next to slot "
                + $"{blue.Slot!.Value.ServerName()} ({blue.Labels.Digest[..19]}) at 90; slot "
                + $"{blue.Slot.Value.ServerName()} back to all traffic, slot {greenSlot.ServerName()} to weight "
                + $"0 and sample-{sandbox.Environment.Name}-killed-{greenSlot.ServerName()} removed (no note "
                + $"of the attempt on this machine: it ran elsewhere)",
            ledger[1].Detail
        );
        Assert.Equal("v1", await sandbox.ServedAsync());
    }

    private static async Task<TimeSpan> UntilGreenAtZeroAsync(DeploySandbox sandbox, Stopwatch signalled)
    {
        while (signalled.Elapsed < TimeSpan.FromSeconds(60))
        {
            var weights = (await sandbox.Switch.ReadAsync(CancellationToken.None))
                .Values.Select(s => s.Weight)
                .Order()
                .ToList();
            if (weights is [0, 100])
                return signalled.Elapsed;
            await Task.Delay(50);
        }

        return signalled.Elapsed;
    }

    /// <summary>What SIGKILL during a canary leaves: green running in the other slot at weight 10, blue at 90, no
    /// ledger line.</summary>
    private static async Task<(
        ServiceContainer Blue,
        Slot GreenSlot,
        Pipeline.Deploy.Rollout.DeployRelease V2
    )> LeaveHalfDoneCanaryAsync(DeploySandbox sandbox)
    {
        await sandbox.DeployAsync("v1");
        var v2 = await sandbox.ReleaseAsync("v2");
        var blue = Assert.Single(await sandbox.ContainersAsync());
        var greenSlot = blue.Slot!.Value.Other();
        await sandbox.Host.PullAsync(v2.Image, sandbox.Options().Credential, true, CancellationToken.None);
        var labels = new DeployLabels(
            DeploySandbox.Service,
            sandbox.Environment.Name,
            v2.Digest,
            v2.Image,
            greenSlot.ServerName(),
            v2.Commit,
            v2.Tag,
            DateTimeOffset.UtcNow
        );
        var port = sandbox.Environment.PortOf(greenSlot);
        await sandbox.Host.RunAsync(
            new ContainerSpec(
                $"sample-{sandbox.Environment.Name}-killed-{greenSlot.ServerName()}",
                v2.Image,
                labels.ToDictionary(),
                "127.0.0.1",
                port,
                8080
            ),
            CancellationToken.None
        );
        await WaitUntilAsync(async () =>
        {
            try
            {
                using var http = new HttpClient();
                return (await http.GetAsync($"http://127.0.0.1:{port}/")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        });
        await sandbox.Switch.RouteAsync(greenSlot, "127.0.0.1", port, CancellationToken.None);
        await sandbox.Switch.SetWeightsAsync(
            new Dictionary<Slot, int> { [greenSlot] = 10, [blue.Slot.Value] = 90 },
            CancellationToken.None
        );
        return (blue, greenSlot, v2);
    }

    [DeployFact]
    public async Task A_rollback_after_the_live_container_died_sets_its_slot_to_0_first_and_restores_the_kept_one()
    {
        await using var sandbox = await DeploySandbox.StartAsync(rig);
        await sandbox.DeployAsync("v1");
        await sandbox.DeployAsync("v2", canary: false);
        var live = Assert.Single(await sandbox.ContainersAsync(), c => c.Running);
        await rig.PodmanAsync("stop", "--time", "0", live.Id); // stopped by hand: unless-stopped leaves it down
        var warnings = new RecordingLogger();

        var previous = await sandbox.DeployerWith(warnings).PreviousAsync(CancellationToken.None);
        var result = await sandbox
            .DeployerWith(warnings)
            .DeployAsync(previous!, sandbox.Options(canary: false, action: "rollback"), CancellationToken.None);

        Assert.Contains(
            warnings.Lines,
            l =>
                l.Contains(
                    $"slot {live.Slot!.Value.ServerName()} takes traffic (weight 100) but {live.Name} is not running",
                    StringComparison.Ordinal
                ) && l.Contains("set to weight 0 first", StringComparison.Ordinal)
        );
        Assert.True(result.ReusedContainer);
        Assert.Equal("v1", await sandbox.ServedAsync());
        var stats = await sandbox.Switch.ReadAsync(CancellationToken.None);
        Assert.Equal(0, stats[live.Slot.Value].Weight);
    }

    [DeployFact]
    public async Task A_kept_release_made_for_other_ports_is_not_started_and_is_never_removed()
    {
        await using var sandbox = await DeploySandbox.StartAsync(rig);
        await sandbox.DeployAsync("v1");
        await sandbox.DeployAsync("v2", canary: false);
        var kept = Assert.Single(await sandbox.ContainersAsync(), c => !c.Running);
        // The environment's ports changed since v1 was kept.
        var moved = sandbox.Environment with
        {
            SlotPorts = [FreePort.Next(), FreePort.Next()],
        };
        await sandbox.Switch.RouteAsync(
            Assert.Single(await sandbox.ContainersAsync(), c => c.Running).Slot!.Value,
            "127.0.0.1",
            sandbox.Environment.PortOf(kept.Slot!.Value.Other()),
            CancellationToken.None
        );
        var warnings = new RecordingLogger();

        var result = await sandbox
            .DeployerWith(warnings, moved)
            .DeployAsync(
                await sandbox.ReleaseAsync("v1"),
                sandbox.Options(canary: false, action: "rollback"),
                CancellationToken.None
            );

        Assert.False(result.ReusedContainer);
        Assert.Contains(
            warnings.Lines,
            l =>
                l.Contains(
                    $"kept container {kept.Name} was made for port {sandbox.Environment.PortOf(kept.Slot.Value)} "
                        + $"(slot {kept.Slot.Value.ServerName()} is on {moved.PortOf(kept.Slot.Value)} now)",
                    StringComparison.Ordinal
                )
        );
        Assert.Equal("v1", await sandbox.ServedAsync());
        Assert.Contains(await sandbox.ContainersAsync(), c => c.Id == kept.Id); // still kept (stopped)
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("condition not met within 30 s");
            await Task.Delay(100);
        }
    }
}
