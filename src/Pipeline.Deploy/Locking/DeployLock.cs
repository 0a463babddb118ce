using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Pipeline.Deploy.Environments;
using Pipeline.Deploy.Hosts;

namespace Pipeline.Deploy.Locking;

/// <summary>
/// One deploy or rollback at a time per environment, across machines: a marker named after the environment, created on
/// the container host itself (as Kamal keeps its lock on the host), labelled with its <see cref="LockHolder"/>. Another
/// run waits up to a bound, then refuses naming the holder. A lock whose holder is provably gone (its process on this
/// machine ended: killed, crashed, machine restarted) is taken over; <c>--force-unlock</c> takes any lock. Services of
/// one run share its lock.
/// </summary>
public sealed class DeployLock : IAsyncDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan ReleaseDeadline = TimeSpan.FromSeconds(10);

    // Per host and marker: how many sessions of this run hold it (services deploy side by side in one run).
    private static readonly Dictionary<string, int> Held = [];

    private readonly IContainerHost _host;
    private readonly string _key;
    private bool _released;

    private DeployLock(IContainerHost host, string name, string key, TakenOver? takenOver)
    {
        _host = host;
        Name = name;
        _key = key;
        Previous = takenOver;
    }

    /// <summary>The marker's name on the host: pipeline-deploy-lock-&lt;environment&gt;.</summary>
    public string Name { get; }

    /// <summary>The lock this run took over (a gone holder, or --force-unlock); null when it was free.</summary>
    public TakenOver? Previous { get; }

    /// <param name="Found">What was there: the holder, or null when its labels did not parse.</param>
    /// <param name="Why">"process 4242 is gone", or "--force-unlock".</param>
    public sealed record TakenOver(LockHolder? Found, string Why, string Line);

    public static string MarkerName(string environment) => $"pipeline-deploy-lock-{environment}";

    /// <param name="timeout">How long to wait for another holder.</param>
    /// <param name="force">--force-unlock: whatever holds the lock, take it.</param>
    public static async Task<DeployLock> AcquireAsync(
        IContainerHost host,
        DeployEnvironment environment,
        LockHolder me,
        TimeSpan timeout,
        bool force,
        ILogger logger,
        CancellationToken ct
    )
    {
        var name = MarkerName(environment.Name);
        var key = $"{host.Description}|{name}|{me.RunId}";
        lock (Held)
        {
            if (Held.TryGetValue(key, out var count) && count > 0)
            {
                Held[key] = count + 1;
                return new DeployLock(host, name, key, null);
            }
        }

        var clock = Stopwatch.StartNew();
        TakenOver? takenOver = null;
        var waiting = false;
        while (true)
        {
            if (await host.TryCreateMarkerAsync(name, me.ToLabels(), ct))
            {
                lock (Held)
                    Held[key] = Held.GetValueOrDefault(key) + 1;
                return new DeployLock(host, name, key, takenOver);
            }

            var labels = await host.ReadMarkerAsync(name, ct);
            if (labels is null)
                continue; // released in between: try again at once
            var holder = LockHolder.Parse(labels);
            if (holder is { IsThisRun: true })
            {
                // This run's own lock, left by a session that ended without releasing it: it is ours.
                lock (Held)
                    Held[key] = Held.GetValueOrDefault(key) + 1;
                return new DeployLock(host, name, key, null);
            }

            var why = force ? "--force-unlock" : holder?.Gone();
            if (why is not null)
            {
                var what = holder is null
                    ? $"a lock {name} whose labels do not parse ({Shown(labels)})"
                    : $"the deploy lock of {holder.Describe()}";
                var line = $"{environment.Name}: took over {what}: {why}";
                logger.LogWarning("{Line}", line);
                takenOver = new TakenOver(holder, why, line);
                await host.RemoveMarkerAsync(name, ct);
                continue;
            }

            var shown = holder is null
                ? $"a lock {name} whose labels do not parse ({Shown(labels)}), so its holder cannot be told"
                : holder.Describe();
            if (clock.Elapsed >= timeout)
                throw new DeployException(
                    $"{environment.Name} is locked by {shown}; waited {Durations.Format(timeout)} "
                        + $"(--deploy-lock-timeout). If that run is gone, run again with --force-unlock"
                );
            if (!waiting)
            {
                logger.LogWarning(
                    "{Environment} is locked by {Holder}; waiting up to {Timeout}",
                    environment.Name,
                    shown,
                    Durations.Format(timeout)
                );
                waiting = true;
            }

            await Task.Delay(Poll, ct);
        }
    }

    /// <summary>Releases the lock (the last session of this run removes the marker); bounded, and never cancelled by
    /// the run's signal.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_released)
            return;
        _released = true;
        lock (Held)
        {
            var count = Held.GetValueOrDefault(_key) - 1;
            if (count > 0)
            {
                Held[_key] = count;
                return;
            }

            Held.Remove(_key);
        }

        using var deadline = new CancellationTokenSource(ReleaseDeadline);
        try
        {
            await _host.RemoveMarkerAsync(Name, deadline.Token);
        }
        catch (Exception e) when (e is DeployException or OperationCanceledException)
        {
            // The next run finds it, sees this process gone and takes it over.
        }
    }

    private static string Shown(IReadOnlyDictionary<string, string> labels)
    {
        var text = labels.Count == 0 ? "no labels" : string.Join(", ", labels.Select(l => $"{l.Key}={l.Value}"));
        return text.Length > 160 ? text[..160] + "…" : text;
    }
}
