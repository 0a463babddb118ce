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
public sealed class BlueGreenDeployer(
    DeployEnvironment environment,
    string service,
    IContainerHost host,
    ITrafficSwitch traffic,
    DeployLedger ledger,
    HealthProbe probe,
    ILogger logger
)
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan UndoDeadline = TimeSpan.FromSeconds(15);

    public async Task<DeployResult> DeployAsync(DeployRelease release, DeployOptions options, CancellationToken ct)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var canaryWeight = 0;
        string? previous = null;

        DeployRecord Note(string outcome, string detail) =>
            new(
                options.Action,
                environment.Name,
                service,
                release.Digest,
                previous,
                release.Commit,
                release.Tag,
                options.Actor,
                options.Trigger,
                startedAt,
                DateTimeOffset.UtcNow,
                outcome,
                detail
            )
            {
                CanaryWeight = canaryWeight,
                Platform = release.Child?.Platform,
                PlatformDigest = release.Child?.Digest,
            };
        async Task Record(string outcome, string detail) =>
            await ledger.AppendAsync(Note(outcome, detail), CancellationToken.None);

        // Everything that can refuse, refuses before the first change.
        if (options.Verifier is not null)
            await options.Verifier.VerifyAsync(release, ct);
        await traffic.CheckAsync(ct);

        // A rollout an earlier run left half-done (killed, lost its host) is repaired first, from the switch's real
        // state.
        await RepairAsync(options, startedAt, ct);
        await ledger.BeginAsync(Note("in-progress", $"pid {Environment.ProcessId} on {Environment.MachineName}"), ct);
        var containers = await host.ListAsync(service, environment.Name, ct);
        var blue = await CurrentBlueAsync(containers, ct);
        previous = blue?.Labels.Digest;
        var greenSlot = blue?.Slot?.Other() ?? Slot.A;
        var port = environment.PortOf(greenSlot);

        // A running container in green's slot is a leftover (it takes no traffic; the repair stopped old releases): it
        // holds the port.
        foreach (var leftover in containers.Where(c => c.Running && c.Slot == greenSlot && c.Id != blue?.Id))
        {
            logger.LogWarning(
                "removing {Name}: a leftover in slot {Slot} that takes no traffic",
                leftover.Name,
                greenSlot.ServerName()
            );
            await host.RemoveAsync(leftover.Id, ct);
        }

        // A kept container of this very release starts in a second, when it still fits the environment (its slot's
        // port, the service port, the health path); otherwise a new container of its image, which is on the host
        // already.
        var kept = await KeptFittingAsync(containers, release, greenSlot, port, ct);
        // A kept container says which image of an index it runs, for the ledger, when the caller could not tell.
        if (release.Child is null && kept?.Labels.Child is { } keptChild)
            release = release with { Child = keptChild };
        string? greenId = null;
        var phase = "starting green";
        var settled = false; // true once a failure below has been undone and recorded
        TimeSpan healthy;
        TimeSpan serving;
        try
        {
            if (kept is not null)
            {
                options.Step?.Invoke($"starting kept container {kept.Name}");
                greenId = kept.Id;
                await host.StartAsync(kept.Id, ct);
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
                    settled = true;
                    await Record("failed", e.Message);
                    throw;
                }

                var labels = new DeployLabels(
                    service,
                    environment.Name,
                    release.Digest,
                    release.Image,
                    greenSlot.ServerName(),
                    release.Commit,
                    release.Tag,
                    startedAt
                )
                {
                    HealthPath = environment.HealthPath,
                    ContainerPort = environment.ContainerPort.ToString(
                        System.Globalization.CultureInfo.InvariantCulture
                    ),
                    Platform = release.Child?.Platform ?? "",
                    PlatformDigest = release.Child?.Digest ?? "",
                };
                var name = $"{service}-{environment.Name}-{startedAt:yyyyMMddHHmmss}-{greenSlot.ServerName()}";
                options.Step?.Invoke($"starting {name} on port {port}");
                greenId = await host.RunAsync(
                    new ContainerSpec(
                        name,
                        release.Image,
                        labels.ToDictionary(),
                        BindAddress(),
                        port,
                        environment.ContainerPort
                    ),
                    ct
                );
            }

            phase = "the health check";
            var health = new Uri($"http://{environment.UpstreamAddress}:{port}{environment.HealthPath}");
            var unhealthy = await probe.WaitHealthyAsync(host, greenId, health, environment.HealthTimeout, ct);
            if (unhealthy is not null)
            {
                settled = true;
                var logs = await host.LogTailAsync(greenId, 20, CancellationToken.None);
                // A kept release is never removed for failing here: it is stopped again and stays for another try.
                if (kept is not null)
                    await host.StopAsync(greenId, TimeSpan.FromSeconds(5), CancellationToken.None);
                else
                    await host.RemoveAsync(greenId, CancellationToken.None);
                var what = kept is not null
                    ? $"kept container {kept.Name} stopped again and still kept"
                    : "green removed";
                var before = blue is null
                    ? "nothing was serving before"
                    : $"blue {Short(blue.Labels.Digest)} keeps serving";
                var message =
                    $"green {release.ShortDigest} in slot {greenSlot.ServerName()} is not healthy: {unhealthy}; "
                    + $"{what}, {before}";
                await Record("failed", message);
                throw new DeployException(
                    logs.Count == 0
                        ? message
                        : $"{message}{Environment.NewLine}last log lines of "
                            + $"green:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", logs)}"
                );
            }

            healthy = clock.Elapsed;
            options.Step?.Invoke($"green healthy after {healthy.TotalSeconds:0.0}s");
            phase = "switching";
            try
            {
                await traffic.RouteAsync(greenSlot, environment.UpstreamAddress, port, ct);
                await WaitSwitchSeesUpAsync(greenSlot, ct);
            }
            catch (DeployException e)
            {
                settled = true;
                var undone = await UndoGreenAsync(greenSlot, greenId, blue, kept is not null);
                await Record("failed", $"{e.Message}; {undone}");
                throw;
            }

            if (blue is { Slot: { } blueSlot } && options.Canary && environment.CanaryWeight is > 0 and < 100)
            {
                phase = "the canary";
                canaryWeight = environment.CanaryWeight;
                await traffic.SetWeightsAsync(
                    new Dictionary<Slot, int> { [greenSlot] = canaryWeight, [blueSlot] = 100 - canaryWeight },
                    ct
                );
                serving = clock.Elapsed;
                options.Step?.Invoke(
                    $"canary: green takes {canaryWeight}% for {Durations.Format(environment.CanaryWindow)}"
                );
                var verdict = await ObserveCanaryAsync(greenSlot, greenId, ct);
                if (verdict is not null)
                {
                    settled = true;
                    var undone = await UndoGreenAsync(greenSlot, greenId, blue, kept is not null);
                    var message =
                        $"canary of {release.ShortDigest} failed: {verdict}; rolled back automatically: {undone}";
                    await Record("rolled-back", message);
                    throw new DeployException(message);
                }
            }
            else
            {
                serving = clock.Elapsed;
            }
        }
        catch (Exception e) when (!settled && (e is OperationCanceledException || e is DeployException))
        {
            // Cancelled (SIGINT/SIGTERM) or the host or switch failed mid-rollout: green's share goes back to 0 and
            // green goes, blue serves everything; the ledger says so. Bounded, and not cancellable: this is the way
            // out.
            var cancelled = e is OperationCanceledException && ct.IsCancellationRequested;
            var undone =
                greenId is null && phase == "starting green"
                    ? "nothing was started"
                    : await UndoGreenAsync(greenSlot, greenId, blue, kept is not null);
            var cause = cancelled
                ? $"interrupted{(options.InterruptedBy?.Invoke() is { } by ? " by " + by : "")} during {phase}"
                : $"{e.Message.Split('\n')[0]} (during {phase})";
            var message = $"{cause}; {undone}";
            await Record(cancelled ? "interrupted" : "failed", message);
            throw new DeployException(message, e);
        }

        var weights = new Dictionary<Slot, int> { [greenSlot] = 100 };
        if (blue?.Slot is { } oldSlot)
            weights[oldSlot] = 0;
        await traffic.SetWeightsAsync(weights, CancellationToken.None);
        var promoted = clock.Elapsed;
        options.Step?.Invoke($"green takes all traffic after {promoted.TotalSeconds:0.0}s");

        // Promoted: from here on finishing is the safe way out, so a signal only cuts the drain short.
        if (blue?.Slot is { } drained)
        {
            await DrainAsync(drained, ct);
            await traffic.DisableAsync(drained, CancellationToken.None);
            await host.StopAsync(blue.Id, TimeSpan.FromSeconds(5), CancellationToken.None);
        }

        await PruneAsync(greenId, CancellationToken.None);
        await Record(
            "succeeded",
            $"{release.Image} serves from slot "
                + $"{greenSlot.ServerName()}{(canaryWeight > 0 ? $" after a {canaryWeight}% canary" : "")}"
        );
        return new DeployResult(release, greenSlot, greenId, previous, kept is not null)
        {
            Healthy = healthy,
            Serving = serving,
            Promoted = promoted,
            CanaryWeight = canaryWeight,
        };
    }

    /// <summary>
    /// Brings the switch and the host back to a settled state an earlier run may have left half-done (killed during a
    /// canary, lost its host connection): a slot that takes traffic while its container does not run goes to weight 0
    /// first; two slots taking traffic (an unfinished canary) go back to the last completed release; a running
    /// container without traffic is an unfinished green (removed) or a previous release not yet stopped (stopped and
    /// kept); the one live slot gets weight 100. What serves is never removed. An attempt that started and never wrote
    /// its ledger line gets an interrupted one; a repair with no such note (the attempt ran on another machine, whose
    /// state folder holds its note) gets a repair line of its own. Everything found and done is said in one line.
    /// </summary>
    private async Task RepairAsync(DeployOptions options, DateTimeOffset startedAt, CancellationToken ct)
    {
        var stats = await traffic.ReadAsync(ct);
        var containers = await host.ListAsync(service, environment.Name, ct);
        var history = ledger.Read(environment.Name).Where(r => r.Service == service).ToList();
        var found = new List<string>();
        var done = new List<string>();
        var weights = new Dictionary<Slot, int>();
        var maintenance = new List<Slot>();
        ServiceContainer? Running(Slot slot) => containers.FirstOrDefault(c => c.Running && c.Slot == slot);

        var live = stats.Values.Where(s => s.Live).ToList();
        foreach (var dead in live.Where(s => Running(s.Slot) is null).ToList())
        {
            var there = containers.FirstOrDefault(c => c.Slot == dead.Slot);
            found.Add(
                $"slot {dead.Slot.ServerName()} takes traffic (weight {dead.Weight}) but "
                    + $"{(there is null ? $"no container of {service} is there" : $"{there.Name} is not running")}"
            );
            done.Add($"slot {dead.Slot.ServerName()} set to weight 0 first");
            weights[dead.Slot] = 0;
            maintenance.Add(dead.Slot);
            live.Remove(dead);
        }

        var removed = new HashSet<string>(StringComparer.Ordinal);
        if (live.Count == 2)
        {
            // An unfinished canary: blue is the last completed release (else the heavier slot, else the older
            // container).
            var pair = live.Select(s => (Stats: s, Container: Running(s.Slot)!)).ToList();
            var lastGood = history.LastOrDefault(r => r.Outcome == "succeeded")?.Digest;
            var blue =
                pair.Count(p => p.Container.Labels.Digest == lastGood) == 1
                    ? pair.First(p => p.Container.Labels.Digest == lastGood)
                    : pair.OrderByDescending(p => p.Stats.Weight).ThenBy(p => p.Container.Labels.DeployedAt).First();
            var green = pair.First(p => p.Stats.Slot != blue.Stats.Slot);
            found.Add(
                $"a half-done rollout: slot {green.Stats.Slot.ServerName()} "
                    + $"({Short(green.Container.Labels.Digest)}) at weight "
                    + $"{green.Stats.Weight} next to slot {blue.Stats.Slot.ServerName()} "
                    + $"({Short(blue.Container.Labels.Digest)}) at {blue.Stats.Weight}"
            );
            done.Add(
                $"slot {blue.Stats.Slot.ServerName()} back to all traffic, slot "
                    + $"{green.Stats.Slot.ServerName()} to weight 0 and {green.Container.Name} removed"
            );
            weights[blue.Stats.Slot] = 100;
            weights[green.Stats.Slot] = 0;
            maintenance.Add(green.Stats.Slot);
            removed.Add(green.Container.Id);
            live = [blue.Stats];
        }
        else if (live.Count == 1 && live[0].Weight != 100)
        {
            found.Add($"slot {live[0].Slot.ServerName()} alone at weight {live[0].Weight}");
            done.Add($"slot {live[0].Slot.ServerName()} set to 100");
            weights[live[0].Slot] = 100;
        }

        // Weights left on slots in maintenance read as half-done to anyone checking: 0 or 100 only.
        foreach (var idle in stats.Values.Where(s => !s.Live && s.Weight > 0 && !weights.ContainsKey(s.Slot)))
            weights[idle.Slot] = 0;

        var serving = live.Count == 1 ? Running(live[0].Slot) : null;
        var stop = new List<ServiceContainer>();
        if (serving is not null)
        {
            foreach (var idle in containers.Where(c => c.Running && c.Id != serving.Id && !removed.Contains(c.Id)))
            {
                if (idle.Labels.DeployedAt < serving.Labels.DeployedAt)
                {
                    found.Add($"{idle.Name} (a previous release) still running without traffic");
                    done.Add($"{idle.Name} stopped and kept");
                    stop.Add(idle);
                }
                else
                {
                    found.Add($"{idle.Name} from an unfinished rollout, taking no traffic");
                    done.Add($"{idle.Name} removed");
                    removed.Add(idle.Id);
                }
            }

            var last = history.LastOrDefault(r => r.Outcome == "succeeded");
            if (last is not null && last.Digest != serving.Labels.Digest)
            {
                found.Add(
                    $"the switch serves {Short(serving.Labels.Digest)} (slot "
                        + $"{serving.Slot?.ServerName()}) but the ledger's last "
                        + $"completed {last.Action} of {service} is {Short(last.Digest)}"
                );
                done.Add("going by the switch (what takes traffic)");
            }
        }

        // Switch first (no request may reach what is about to go), then the host.
        if (weights.Count > 0)
            await traffic.SetWeightsAsync(weights, ct);
        foreach (var slot in maintenance)
            await traffic.DisableAsync(slot, ct);
        foreach (var id in removed)
            await host.RemoveAsync(id, ct);
        foreach (var old in stop)
            await host.StopAsync(old.Id, TimeSpan.FromSeconds(5), ct);

        var unfinished = ledger.TakeInFlight(environment.Name, service);
        if (unfinished is not null)
            found.Add(
                $"an unfinished {unfinished.Action} of {Short(unfinished.Digest)} "
                    + $"started {unfinished.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z "
                    + $"by {unfinished.Actor} ({unfinished.Trigger}) with no ledger line"
            );
        if (found.Count == 0)
            return;
        var what = done.Count == 0 ? "nothing needed changing" : string.Join(", ", done);
        logger.LogWarning(
            "{Where}: found {Found}; {Done}",
            $"{service} in {environment.Name}",
            string.Join("; ", found),
            what
        );
        if (unfinished is not null)
        {
            await ledger.AppendAsync(
                unfinished with
                {
                    EndedAt = DateTimeOffset.UtcNow,
                    Outcome = "interrupted",
                    Detail =
                        $"did not finish: its process ended without writing this line "
                        + $"(killed, or lost its host); the next run repaired it: {what}",
                },
                CancellationToken.None
            );
        }
        else if (done.Count > 0)
        {
            // No note of the attempt here: it ran from another machine (or its note was lost). The change is recorded
            // all the same. Stamped with the start of the run that repairs, so the history lists it before that run's
            // own line.
            await ledger.AppendAsync(
                new DeployRecord(
                    "repair",
                    environment.Name,
                    service,
                    serving?.Labels.Digest ?? "",
                    null,
                    serving?.Labels.Commit ?? "",
                    serving?.Labels.Tag ?? "",
                    options.Actor,
                    options.Trigger,
                    startedAt,
                    DateTimeOffset.UtcNow,
                    "repaired",
                    $"found {string.Join("; ", found)}; {what} (no note "
                        + $"of the attempt on this machine: it ran elsewhere)"
                ),
                CancellationToken.None
            );
        }
    }

    /// <summary>A kept container of <paramref name="release"/> in <paramref name="slot"/> that still fits the
    /// environment; null when none fits.</summary>
    private async Task<ServiceContainer?> KeptFittingAsync(
        IReadOnlyList<ServiceContainer> containers,
        DeployRelease release,
        Slot slot,
        int port,
        CancellationToken ct
    )
    {
        var kept = containers.FirstOrDefault(c => !c.Running && c.Slot == slot && c.Labels.Digest == release.Digest);
        if (kept is null)
            return null;
        var misfits = new List<string>();
        if ((await host.InspectAsync(kept.Id, ct))?.HostPort is { } published && published != port)
            misfits.Add($"port {published} (slot {slot.ServerName()} is on {port} now)");
        var containerPort = environment.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (kept.Labels.ContainerPort.Length > 0 && kept.Labels.ContainerPort != containerPort)
            misfits.Add($"service port {kept.Labels.ContainerPort} (now {containerPort})");
        if (kept.Labels.HealthPath.Length > 0 && kept.Labels.HealthPath != environment.HealthPath)
            misfits.Add($"health path {kept.Labels.HealthPath} (now {environment.HealthPath})");
        if (misfits.Count == 0)
            return kept;
        logger.LogWarning(
            "kept container {Name} was made for {Misfits}; it stays kept, and "
                + "a new container of its image (on the host already) starts instead",
            kept.Name,
            string.Join(", ", misfits)
        );
        return null;
    }

    /// <summary>The release that ran before the live one: the newest kept container with another digest, else the
    /// ledger.</summary>
    public async Task<DeployRelease?> PreviousAsync(CancellationToken ct)
    {
        var containers = await host.ListAsync(service, environment.Name, ct);
        var blue = await CurrentBlueAsync(containers, ct, adopt: false);
        // A live slot whose container died still names the release being rolled back from.
        var stats = await traffic.ReadAsync(ct);
        var deadLive = stats
            .Values.Where(s => s.Live)
            .OrderByDescending(s => s.Weight)
            .Select(s => containers.FirstOrDefault(c => c.Slot == s.Slot))
            .FirstOrDefault(c => c is not null);
        var live = blue?.Labels.Digest ?? deadLive?.Labels.Digest;
        var kept = containers.FirstOrDefault(c => !c.Running && c.Labels.Digest != live && c.Labels.Image.Length > 0);
        if (kept is not null)
            return new DeployRelease(kept.Labels.Image, kept.Labels.Digest, kept.Labels.Commit, kept.Labels.Tag)
            {
                Child = kept.Labels.Child,
            };
        // Known from the ledger only: pulled again, so which image of an index runs is checked again (the host may have
        // changed).
        var record = ledger
            .Read(environment.Name)
            .LastOrDefault(r => r.Outcome == "succeeded" && r.Digest != live && r.Service == service);
        return record is null ? null : new DeployRelease("", record.Digest, record.Commit, record.Tag);
    }

    /// <summary>The live container: the running one in the slot the switch gives the most weight. When the switch
    /// routes nothing (a fresh HAProxy) but a labelled container runs, it is adopted: routed at full weight
    /// first.</summary>
    private async Task<ServiceContainer?> CurrentBlueAsync(
        IReadOnlyList<ServiceContainer> containers,
        CancellationToken ct,
        bool adopt = true
    )
    {
        var stats = await traffic.ReadAsync(ct);
        var live = stats.Values.Where(s => s.Live).OrderByDescending(s => s.Weight).FirstOrDefault();
        if (live is not null)
        {
            var blue = containers.FirstOrDefault(c => c.Running && c.Slot == live.Slot);
            if (blue is not null)
                return blue;
            logger.LogWarning(
                "{Switch} sends traffic to slot {Slot}, but no container of {Service} runs there",
                traffic.Description,
                live.Slot.ServerName(),
                service
            );
            return null;
        }

        var orphan = containers.FirstOrDefault(c => c.Running && c.Slot is not null);
        if (orphan?.Slot is not { } slot || !adopt)
            return orphan;
        logger.LogWarning(
            "{Switch} routes nothing; adopting running {Name} in slot {Slot}",
            traffic.Description,
            orphan.Name,
            slot.ServerName()
        );
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
            if (stats[slot].Up)
                return;
            if (DateTime.UtcNow > deadline)
                throw new DeployException(
                    $"{traffic.Description}: server {slot.ServerName()} is {stats[slot].Status}, "
                        + $"not UP, {Durations.Format(environment.HealthTimeout)} after green became healthy"
                );
            await Task.Delay(PollInterval, ct);
        }
    }

    /// <returns>Null when green held up for the whole window, else why it did not.</returns>
    private async Task<string?> ObserveCanaryAsync(Slot slot, string greenId, CancellationToken ct)
    {
        var baseline = (await traffic.ReadAsync(ct))[slot];
        var restarts = (await host.InspectAsync(greenId, ct))?.RestartCount ?? 0;
        var end = DateTime.UtcNow + environment.CanaryWindow;
        while (DateTime.UtcNow < end)
        {
            await Task.Delay(PollInterval, ct);
            var state = await host.InspectAsync(greenId, ct);
            if (state is not { Running: true })
                return state is null
                    ? "green's container disappeared"
                    : $"green's container exited (code {state.ExitCode})";
            // unless-stopped brings a crashed green back at once: a restart is an exit all the same.
            if (state.RestartCount > restarts)
                return $"green's container exited and was restarted (code {state.ExitCode})";
            var now = (await traffic.ReadAsync(ct))[slot];
            if (now.Down || now.InMaintenance)
                return $"the switch marks green {now.Status}";
            var total = now.Total - baseline.Total;
            var failures = now.Failures - baseline.Failures;
            if (total > 0 && failures * 100.0 / total > environment.CanaryMaxErrorPercent)
                return $"{failures} of {total} requests failed ({failures * 100.0 / total:0.#}% "
                    + $"> {environment.CanaryMaxErrorPercent}%)";
        }

        return null;
    }

    /// <summary>
    /// Takes green out: blue back to all traffic, green's weight 0 and in maintenance, then green removed (a kept
    /// release only stopped). Each step is tried even when one before failed, within a deadline, never cancelled by the
    /// run's signal; says in one phrase what was done and what is left for the next run's repair.
    /// </summary>
    private async Task<string> UndoGreenAsync(Slot greenSlot, string? greenId, ServiceContainer? blue, bool keptGreen)
    {
        using var deadline = new CancellationTokenSource(UndoDeadline);
        var left = new List<string>();
        async Task Try(string what, Func<Task> step)
        {
            try
            {
                await step();
            }
            catch (Exception e) when (e is DeployException or OperationCanceledException)
            {
                var reason = e is OperationCanceledException ? "no answer in time" : e.Message.Split('\n')[0];
                left.Add($"{what} failed ({reason})");
            }
        }

        var weights = new Dictionary<Slot, int> { [greenSlot] = 0 };
        if (blue?.Slot is { } blueSlot)
            weights[blueSlot] = 100;
        await Try("green's weight to 0", () => traffic.SetWeightsAsync(weights, deadline.Token));
        await Try("green to maintenance", () => traffic.DisableAsync(greenSlot, deadline.Token));
        if (greenId is not null)
        {
            if (keptGreen)
                await Try(
                    "stopping the kept container",
                    () => host.StopAsync(greenId, TimeSpan.FromSeconds(2), deadline.Token)
                );
            else
                await Try("removing green", () => host.RemoveAsync(greenId, deadline.Token));
        }

        var done =
            $"green's weight back to 0 and green "
            + $"{(greenId is null ? "not started" : keptGreen ? "stopped (still kept)" : "removed")}, "
            + $"{(blue is null ? "nothing else was serving" : $"blue {Short(blue.Labels.Digest)} serves all traffic")}";
        return left.Count == 0 ? done : $"{string.Join(", ", left)}: the next Deploy or Rollback repairs it";
    }

    private async Task DrainAsync(Slot slot, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + DrainTimeout;
        try
        {
            while (DateTime.UtcNow < deadline && (await traffic.ReadAsync(ct))[slot].Sessions > 0)
                await Task.Delay(PollInterval, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Cancelled after promotion: requests still in flight on blue get its stop grace period only.
        }
    }

    /// <summary>Keeps the newest <see cref="DeployEnvironment.Keep"/> stopped releases; older ones are
    /// removed.</summary>
    private async Task PruneAsync(string greenId, CancellationToken ct)
    {
        var stopped = (await host.ListAsync(service, environment.Name, ct))
            .Where(c => !c.Running && c.Id != greenId)
            .ToList();
        foreach (var old in stopped.Skip(environment.Keep))
        {
            logger.LogInformation(
                "removing {Name} ({Digest}): more than {Keep} previous releases kept",
                old.Name,
                Short(old.Labels.Digest),
                environment.Keep
            );
            await host.RemoveAsync(old.Id, ct);
        }
    }

    /// <summary>Published ports listen where the switch reaches them: loopback when the host is this machine.</summary>
    private string BindAddress() => environment.UpstreamAddress is "127.0.0.1" or "localhost" ? "127.0.0.1" : "0.0.0.0";

    private static string Short(string digest) => digest.Length > 19 ? digest[..19] : digest;
}
