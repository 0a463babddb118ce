using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Pipeline.Deploy.Environments;
using Pipeline.Deploy.Health;
using Pipeline.Deploy.Hosts;
using Pipeline.Deploy.Ledger;
using Pipeline.Deploy.Traffic;

namespace Pipeline.Deploy.Rollout;

/// <summary>
/// Blue-green with an optional canary on one environment. Blue is whatever the switch sends traffic to; green starts
/// in the other slot, must become healthy, then takes a canary share (watched through the switch's stats and the
/// container's state for the window) and finally all traffic. Blue drains, is stopped and kept for rollback.
/// Any failure before promotion leaves blue serving and removes green. Every run ends with a ledger line.
/// </summary>
public sealed class BlueGreenDeployer(DeployEnvironment environment, string service, IContainerHost host, ITrafficSwitch traffic, DeployLedger ledger, HealthProbe probe, ILogger logger)
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public async Task<DeployResult> DeployAsync(DeployRelease release, DeployOptions options, CancellationToken ct)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var canaryWeight = 0;
        string? previous = null;

        async Task Record(string outcome, string detail)
            => await ledger.AppendAsync(
                new DeployRecord(options.Action, environment.Name, service, release.Digest, previous, release.Commit, release.Tag, options.Actor, options.Trigger, startedAt, DateTimeOffset.UtcNow, outcome, detail) { CanaryWeight = canaryWeight },
                CancellationToken.None);

        // Everything that can refuse, refuses before the first change.
        if (options.Verifier is not null) await options.Verifier.VerifyAsync(release, ct);
        await traffic.CheckAsync(ct);
        var containers = await host.ListAsync(service, environment.Name, ct);
        var blue = await CurrentBlueAsync(containers, ct);
        previous = blue?.Labels.Digest;
        var greenSlot = blue?.Slot?.Other() ?? Slot.A;
        var port = environment.PortOf(greenSlot);

        // A running container in green's slot is a leftover (it takes no traffic): it must go, it holds the port.
        foreach (var leftover in containers.Where(c => c.Running && c.Slot == greenSlot && c.Id != blue?.Id))
        {
            logger.LogWarning("removing {Name}: a leftover in slot {Slot} that takes no traffic", leftover.Name, greenSlot.ServerName());
            await host.RemoveAsync(leftover.Id, ct);
        }

        // A kept container of this very release in green's slot starts in a second; otherwise pull and create.
        var kept = containers.FirstOrDefault(c => !c.Running && c.Slot == greenSlot && c.Labels.Digest == release.Digest);
        string greenId;
        if (kept is not null)
        {
            options.Step?.Invoke($"starting kept container {kept.Name}");
            await host.StartAsync(kept.Id, ct);
            greenId = kept.Id;
        }
        else
        {
            options.Step?.Invoke($"pulling {release.Image}");
            try
            {
                await host.PullAsync(release.Image, options.Credential, options.PlainHttpRegistry, ct);
            }
            catch (DeployException e)
            {
                await Record("failed", e.Message);
                throw;
            }

            var labels = new DeployLabels(service, environment.Name, release.Digest, release.Image, greenSlot.ServerName(), release.Commit, release.Tag, startedAt);
            var name = $"{service}-{environment.Name}-{startedAt:yyyyMMddHHmmss}-{greenSlot.ServerName()}";
            options.Step?.Invoke($"starting {name} on port {port}");
            greenId = await host.RunAsync(new ContainerSpec(name, release.Image, labels.ToDictionary(), BindAddress(), port, environment.ContainerPort), ct);
        }

        var health = new Uri($"http://{environment.UpstreamAddress}:{port}{environment.HealthPath}");
        var unhealthy = await probe.WaitHealthyAsync(host, greenId, health, environment.HealthTimeout, ct);
        if (unhealthy is not null)
        {
            var logs = await host.LogTailAsync(greenId, 20, CancellationToken.None);
            await host.RemoveAsync(greenId, CancellationToken.None);
            var message = $"green {release.ShortDigest} in slot {greenSlot.ServerName()} is not healthy: {unhealthy}; green removed, {(blue is null ? "nothing was serving before" : $"blue {Short(blue.Labels.Digest)} keeps serving")}";
            await Record("failed", message);
            throw new DeployException(logs.Count == 0 ? message : $"{message}{Environment.NewLine}last log lines of green:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", logs)}");
        }

        var healthy = clock.Elapsed;
        options.Step?.Invoke($"green healthy after {healthy.TotalSeconds:0.0}s");
        try
        {
            await traffic.RouteAsync(greenSlot, environment.UpstreamAddress, port, ct);
            await WaitSwitchSeesUpAsync(greenSlot, ct);
        }
        catch (DeployException e)
        {
            await UndoGreenAsync(greenSlot, greenId, blue);
            await Record("failed", e.Message);
            throw;
        }

        TimeSpan serving;
        if (blue is { Slot: { } blueSlot } && options.Canary && environment.CanaryWeight is > 0 and < 100)
        {
            canaryWeight = environment.CanaryWeight;
            await traffic.SetWeightsAsync(new Dictionary<Slot, int> { [greenSlot] = canaryWeight, [blueSlot] = 100 - canaryWeight }, ct);
            serving = clock.Elapsed;
            options.Step?.Invoke($"canary: green takes {canaryWeight}% for {Durations.Format(environment.CanaryWindow)}");
            var verdict = await ObserveCanaryAsync(greenSlot, greenId, ct);
            if (verdict is not null)
            {
                await UndoGreenAsync(greenSlot, greenId, blue);
                var message = $"canary of {release.ShortDigest} failed: {verdict}; rolled back automatically, blue {Short(blue.Labels.Digest)} serves all traffic";
                await Record("rolled-back", message);
                throw new DeployException(message);
            }
        }
        else
        {
            serving = clock.Elapsed;
        }

        var weights = new Dictionary<Slot, int> { [greenSlot] = 100 };
        if (blue?.Slot is { } oldSlot) weights[oldSlot] = 0;
        await traffic.SetWeightsAsync(weights, ct);
        var promoted = clock.Elapsed;
        options.Step?.Invoke($"green takes all traffic after {promoted.TotalSeconds:0.0}s");

        if (blue?.Slot is { } drained)
        {
            await DrainAsync(drained, ct);
            await traffic.DisableAsync(drained, ct);
            await host.StopAsync(blue.Id, TimeSpan.FromSeconds(5), ct);
        }

        await PruneAsync(greenId, ct);
        await Record("succeeded", $"{release.Image} serves from slot {greenSlot.ServerName()}{(canaryWeight > 0 ? $" after a {canaryWeight}% canary" : "")}");
        return new DeployResult(release, greenSlot, greenId, previous, kept is not null) { Healthy = healthy, Serving = serving, Promoted = promoted, CanaryWeight = canaryWeight };
    }

    /// <summary>The release that ran before the live one: the newest kept container with another digest, else the ledger.</summary>
    public async Task<DeployRelease?> PreviousAsync(CancellationToken ct)
    {
        var containers = await host.ListAsync(service, environment.Name, ct);
        var blue = await CurrentBlueAsync(containers, ct, adopt: false);
        var live = blue?.Labels.Digest;
        var kept = containers.FirstOrDefault(c => !c.Running && c.Labels.Digest != live && c.Labels.Image.Length > 0);
        if (kept is not null) return new DeployRelease(kept.Labels.Image, kept.Labels.Digest, kept.Labels.Commit, kept.Labels.Tag);
        var record = ledger.Read(environment.Name).LastOrDefault(r => r.Outcome == "succeeded" && r.Digest != live && r.Service == service);
        return record is null ? null : new DeployRelease("", record.Digest, record.Commit, record.Tag);
    }

    /// <summary>The live container: the running one in the slot the switch gives the most weight. When the switch routes
    /// nothing (a fresh HAProxy) but a labelled container runs, it is adopted: routed at full weight first.</summary>
    private async Task<ServiceContainer?> CurrentBlueAsync(IReadOnlyList<ServiceContainer> containers, CancellationToken ct, bool adopt = true)
    {
        var stats = await traffic.ReadAsync(ct);
        var live = stats.Values.Where(s => s.Live).OrderByDescending(s => s.Weight).FirstOrDefault();
        if (live is not null)
        {
            var blue = containers.FirstOrDefault(c => c.Running && c.Slot == live.Slot);
            if (blue is not null) return blue;
            logger.LogWarning("{Switch} sends traffic to slot {Slot}, but no container of {Service} runs there", traffic.Description, live.Slot.ServerName(), service);
            return null;
        }

        var orphan = containers.FirstOrDefault(c => c.Running && c.Slot is not null);
        if (orphan?.Slot is not { } slot || !adopt) return orphan;
        logger.LogWarning("{Switch} routes nothing; adopting running {Name} in slot {Slot}", traffic.Description, orphan.Name, slot.ServerName());
        await traffic.RouteAsync(slot, environment.UpstreamAddress, environment.PortOf(slot), ct);
        await traffic.SetWeightsAsync(new Dictionary<Slot, int> { [slot] = 100 }, ct);
        return orphan;
    }

    private async Task WaitSwitchSeesUpAsync(Slot slot, CancellationToken ct)
    {
        // HAProxy's own check must agree before any traffic moves (a server without checks reports "no check").
        var deadline = DateTime.UtcNow + environment.HealthTimeout;
        while (true)
        {
            var stats = await traffic.ReadAsync(ct);
            if (stats[slot].Up) return;
            if (DateTime.UtcNow > deadline) throw new DeployException($"{traffic.Description}: server {slot.ServerName()} is {stats[slot].Status}, not UP, {Durations.Format(environment.HealthTimeout)} after green became healthy");
            await Task.Delay(PollInterval, ct);
        }
    }

    /// <returns>Null when green held up for the whole window, else why it did not.</returns>
    private async Task<string?> ObserveCanaryAsync(Slot slot, string greenId, CancellationToken ct)
    {
        var baseline = (await traffic.ReadAsync(ct))[slot];
        var end = DateTime.UtcNow + environment.CanaryWindow;
        while (DateTime.UtcNow < end)
        {
            await Task.Delay(PollInterval, ct);
            var state = await host.InspectAsync(greenId, ct);
            if (state is not { Running: true }) return state is null ? "green's container disappeared" : $"green's container exited (code {state.ExitCode})";
            var now = (await traffic.ReadAsync(ct))[slot];
            if (now.Down || now.InMaintenance) return $"the switch marks green {now.Status}";
            var total = now.Total - baseline.Total;
            var failures = now.Failures - baseline.Failures;
            if (total > 0 && failures * 100.0 / total > environment.CanaryMaxErrorPercent)
                return $"{failures} of {total} requests failed ({failures * 100.0 / total:0.#}% > {environment.CanaryMaxErrorPercent}%)";
        }

        return null;
    }

    private async Task UndoGreenAsync(Slot greenSlot, string greenId, ServiceContainer? blue)
    {
        if (blue?.Slot is { } blueSlot) await traffic.SetWeightsAsync(new Dictionary<Slot, int> { [blueSlot] = 100, [greenSlot] = 0 }, CancellationToken.None);
        await traffic.DisableAsync(greenSlot, CancellationToken.None);
        await host.RemoveAsync(greenId, CancellationToken.None);
    }

    private async Task DrainAsync(Slot slot, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + DrainTimeout;
        while (DateTime.UtcNow < deadline && (await traffic.ReadAsync(ct))[slot].Sessions > 0) await Task.Delay(PollInterval, ct);
    }

    /// <summary>Keeps the newest <see cref="DeployEnvironment.Keep"/> stopped releases; older ones are removed.</summary>
    private async Task PruneAsync(string greenId, CancellationToken ct)
    {
        var stopped = (await host.ListAsync(service, environment.Name, ct)).Where(c => !c.Running && c.Id != greenId).ToList();
        foreach (var old in stopped.Skip(environment.Keep))
        {
            logger.LogInformation("removing {Name} ({Digest}): more than {Keep} previous releases kept", old.Name, Short(old.Labels.Digest), environment.Keep);
            await host.RemoveAsync(old.Id, ct);
        }
    }

    /// <summary>Published ports listen where the switch reaches them: loopback when the host is this machine.</summary>
    private string BindAddress() => environment.UpstreamAddress is "127.0.0.1" or "localhost" ? "127.0.0.1" : "0.0.0.0";

    private static string Short(string digest) => digest.Length > 19 ? digest[..19] : digest;
}
