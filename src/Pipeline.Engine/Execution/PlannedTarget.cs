using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Execution;

/// <summary>A target in the execution plan and, after the run, its outcome.</summary>
internal sealed class PlannedTarget(BuildTarget target, bool invoked)
{
    public BuildTarget Target { get; } = target;

    public string Name => Target.Name;

    /// <summary>Named on the command line (or the default target), rather than pulled in by a relation.</summary>
    public bool Invoked { get; } = invoked;

    public TargetStatus Status { get; set; } = TargetStatus.Pending;

    /// <summary>Why it was skipped, not run, or failed.</summary>
    public string? Reason { get; set; }

    public TimeSpan Duration { get; set; }

    /// <summary>When it started running (or being served from the cache); null when it never started. The report's
    /// timeline.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>
    /// When it was ready (every predecessor finished) but had to wait because running targets held a shared resource it
    /// uses (<c>Uses(...)</c>); null when it never queued. The report draws the wait before its bar.
    /// </summary>
    public DateTimeOffset? QueuedAt { get; set; }

    /// <summary>What it queued for: the resources and the targets holding them when it became ready (<c>git-index held
    /// by TagCalVer</c>).</summary>
    public string? QueuedFor { get; set; }

    /// <summary>The targets that held its resources when it became ready: for the critical path, they are what it
    /// waited for.</summary>
    public IReadOnlyList<PlannedTarget> QueuedBehind { get; set; } = [];

    /// <summary>How it was served from the cache (<c>key …, from registry, saved 77.9 s</c>); null when it
    /// ran.</summary>
    public string? Cached { get; set; }

    /// <summary>Why a cacheable target was not served from the cache (<c>2 input(s) changed since the last hit: …</c>);
    /// the report shows it.</summary>
    public string? CacheMiss { get; set; }

    /// <summary>Set when the target failed for some of its items only (and saved the results of the others).</summary>
    public PartialFailure? Partial { get; set; }

    /// <summary>Its result as cache keys see it (the key of its entry); null when it is not cacheable.</summary>
    public string? ResultKey { get; set; }
}
