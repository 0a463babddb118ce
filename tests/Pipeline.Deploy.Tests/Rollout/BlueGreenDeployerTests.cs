using System.Diagnostics;
using Pipeline.Deploy.Environments;
using Pipeline.Deploy.Hosts;
using Pipeline.Deploy.Rollout;
using Pipeline.Deploy.Tests.Support;
using Pipeline.Testing;

namespace Pipeline.Deploy.Tests.Rollout;

/// <summary>
/// Blue-green, canary and rollback on real containers (Podman, runc) behind a real HAProxy driven through its runtime
/// API, pulling by digest from a real registry with basic auth. Every container and HAProxy started here is removed.
/// </summary>
public class BlueGreenDeployerTests(DeployRig rig) : IClassFixture<DeployRig>
{
    [DeployFact]
    public async Task Switching_blue_to_green_under_a_request_loop_fails_no_request_and_keeps_blue_stopped()
    {
        await using var sandbox = await DeploySandbox.StartAsync(rig);
        var first = await sandbox.DeployAsync("v1");
        Assert.Equal(0, first.CanaryWeight); // nothing to compare against: no canary for the first release
        Assert.Equal("v1", await sandbox.ServedAsync());

        RequestLoop loop;
        DeployResult second;
        await using (loop = new RequestLoop(sandbox.Frontend))
        {
            await Task.Delay(300);
            second = await sandbox.DeployAsync("v2");
            await Task.Delay(300);
            await loop.StopAsync();
        }

        Assert.Empty(loop.Failures);
        Assert.True(loop.Served > 50, $"only {loop.Served} requests went through");
        Assert.True(loop.Bodies.ContainsKey("v1") && loop.Bodies.ContainsKey("v2"), string.Join(", ", loop.Bodies));
        Assert.Equal(20, second.CanaryWeight);
        Assert.Equal("v2", await sandbox.ServedAsync());

        var containers = await sandbox.ContainersAsync();
        var green = Assert.Single(containers, c => c.Running);
        var blue = Assert.Single(containers, c => !c.Running);
        Assert.Equal(rig.Digests["v2"], green.Labels.Digest);
        Assert.Equal("c0ffeev2", green.Labels.Commit);
        Assert.Equal("v2", green.Labels.Tag);
        Assert.Equal(sandbox.Environment.Name, green.Labels.Environment);
        Assert.StartsWith($"{rig.Registry.Host}/{DeployRig.Repository}@sha256:", green.Labels.Image);
        Assert.Equal(rig.Digests["v1"], blue.Labels.Digest);

        var ledger = sandbox.Ledger.Read(sandbox.Environment.Name);
        Assert.Equal(["succeeded", "succeeded"], ledger.Select(r => r.Outcome));
        Assert.Equal(blue.Labels.Digest, ledger[1].PreviousDigest);
        Assert.DoesNotContain(
            DeployRig.Password,
            await File.ReadAllTextAsync(sandbox.Ledger.PathFor(sandbox.Environment.Name))
        );
    }

    [DeployFact]
    public async Task A_green_that_never_becomes_healthy_is_removed_and_blue_keeps_serving()
    {
        await using var sandbox = await DeploySandbox.StartAsync(
            rig,
            e => e with { HealthTimeout = TimeSpan.FromSeconds(3) }
        );
        await sandbox.DeployAsync("v1");

        var failure = await Assert.ThrowsAsync<DeployException>(() => sandbox.DeployAsync("broken"));

        Assert.Contains("is not healthy", failure.Message);
        Assert.Contains("did not answer 2xx within 3s", failure.Message);
        Assert.Contains("sample: config missing, health endpoint disabled", failure.Message); // green's last log lines
        Assert.Equal("v1", await sandbox.ServedAsync());
        var only = Assert.Single(await sandbox.ContainersAsync());
        Assert.True(only.Running);
        Assert.Equal(rig.Digests["v1"], only.Labels.Digest);
        Assert.Equal("failed", sandbox.Ledger.Read(sandbox.Environment.Name)[^1].Outcome);
        Assert.DoesNotContain(DeployRig.Password, failure.Message);
    }

    [DeployFact]
    public async Task A_green_that_dies_during_the_canary_window_is_rolled_back_automatically()
    {
        await using var sandbox = await DeploySandbox.StartAsync(
            rig,
            e => e with { CanaryWeight = 50, CanaryWindow = TimeSpan.FromSeconds(15) }
        );
        await sandbox.DeployAsync("v1");

        RequestLoop loop;
        DeployException failure;
        await using (loop = new RequestLoop(sandbox.Frontend, clients: 1))
        {
            failure = await Assert.ThrowsAsync<DeployException>(() => sandbox.DeployAsync("dies"));
            await loop.StopAsync();
        }

        Assert.Contains("canary of sha256:", failure.Message);
        Assert.Contains("rolled back automatically", failure.Message);
        Assert.True(loop.Bodies.ContainsKey("dies"), "the canary took no traffic: " + string.Join(", ", loop.Bodies));
        Assert.Equal("v1", await sandbox.ServedAsync());
        var only = Assert.Single(await sandbox.ContainersAsync());
        Assert.Equal(rig.Digests["v1"], only.Labels.Digest);
        var record = sandbox.Ledger.Read(sandbox.Environment.Name)[^1];
        Assert.Equal(("rolled-back", 50), (record.Outcome, record.CanaryWeight));
    }

    [DeployFact]
    public async Task Rollback_to_a_named_tag_starts_the_kept_container_within_30_seconds()
    {
        await using var sandbox = await DeploySandbox.StartAsync(rig);
        await sandbox.DeployAsync("v1");
        await sandbox.DeployAsync("v2", canary: false);
        Assert.Equal("v2", await sandbox.ServedAsync());

        var clock = Stopwatch.StartNew();
        var target = await sandbox.ReleaseAsync("v1");
        var result = await sandbox.Deployer.DeployAsync(
            target,
            sandbox.Options(canary: false, action: "rollback"),
            CancellationToken.None
        );
        clock.Stop();

        Assert.True(result.ReusedContainer, "the kept v1 container should have been started, not a new one created");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"rollback took {clock.Elapsed}");
        Assert.Equal("v1", await sandbox.ServedAsync());
        Assert.Equal(rig.Digests["v2"], result.PreviousDigest);
        var record = sandbox.Ledger.Read(sandbox.Environment.Name)[^1];
        Assert.Equal(("rollback", "succeeded", target.Digest), (record.Action, record.Outcome, record.Digest));

        // And back again without naming anything: the previous release is read from the kept containers.
        var previous = await sandbox.Deployer.PreviousAsync(CancellationToken.None);
        Assert.Equal(rig.Digests["v2"], previous?.Digest);
    }

    [DeployFact]
    public async Task A_digest_the_registry_does_not_hold_stops_before_anything_changes()
    {
        await using var sandbox = await DeploySandbox.StartAsync(rig);
        await sandbox.DeployAsync("v1");
        var before = await sandbox.Switch.ReadAsync(CancellationToken.None);
        const string missing = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

        var failure = await Assert.ThrowsAsync<DeployException>(() => sandbox.ReleaseAsync(missing));

        Assert.Equal(
            $"{missing} is not in {rig.Registry.Host}/{DeployRig.Repository}; nothing was changed",
            failure.Message
        );
        Assert.Single(await sandbox.ContainersAsync());
        Assert.Equal(
            before.Values.Select(s => (s.Slot, s.Weight, s.Address)),
            (await sandbox.Switch.ReadAsync(CancellationToken.None)).Values.Select(s => (s.Slot, s.Weight, s.Address))
        );
        Assert.Equal("v1", await sandbox.ServedAsync());
    }

    [DeployFact]
    public async Task An_unreachable_host_is_one_line_and_nothing_starts()
    {
        using var temp = new TempFolder("pipeline-deploy-unreachable-");
        var directory = temp.Path;

        foreach (
            var host in new[]
            {
                $"unix://{directory}/missing.sock",
                $"tcp://127.0.0.1:{Pipeline.Testing.FreePort.Next()}",
            }
        )
        {
            var environment = new DeployEnvironment
            {
                Name = "staging",
                Host = host,
                Registry = "local",
                SlotPorts = [1, 2],
            };
            var failure = await Assert.ThrowsAsync<DeployException>(() =>
                DockerContainerHost.ConnectAsync(
                    environment,
                    "DEPLOY_STAGING_HOST",
                    directory,
                    Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
                    CancellationToken.None
                )
            );
            Assert.StartsWith($"container host {host} (DEPLOY_STAGING_HOST) is unreachable: ", failure.Message);
            Assert.DoesNotContain('\n', failure.Message);
            Assert.DoesNotContain("Exception", failure.Message);
        }
    }
}
