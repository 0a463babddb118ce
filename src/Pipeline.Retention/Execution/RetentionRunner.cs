using Microsoft.Extensions.Logging;

namespace Pipeline.Retention;

/// <summary>
/// Lists a target, plans with the policy, and (only when <c>apply</c>) deletes in the plan's safe order. Every
/// deletion, done or planned, is logged with its reason. When a deletion fails, the manifests it lists or that refer to
/// it are not deleted, so a failure never leaves an index that points at deleted manifests.
/// </summary>
public sealed class RetentionRunner(ILogger logger, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<RetentionReport> RunAsync(
        IRetentionTarget target,
        RetentionPolicy policy,
        bool apply,
        IPullRequestStates? pullRequests = null,
        IProgress<(int Done, int Total)>? progress = null,
        CancellationToken cancellationToken = default
    )
    {
        policy.Validate();
        var versions = await target.ListAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("{Target}: {Count} versions", target.Name, versions.Count);

        IReadOnlySet<int> closed = new HashSet<int>();
        if (pullRequests is not null && policy.Delete.Any(r => r.PullRequestClosed))
        {
            var numbers = versions
                .SelectMany(v => v.Tags)
                .Select(PullRequestTag.Parse)
                .OfType<int>()
                .Distinct()
                .ToList();
            closed = await pullRequests.ClosedAsync(numbers, cancellationToken).ConfigureAwait(false);
        }

        var plan = RetentionPlanner.Plan(versions, policy, _time.GetUtcNow(), closed);
        foreach (var kept in plan.Kept)
            logger.LogDebug("keep {Version}: {Reason}", kept.Version.Display, kept.Reason);
        if (!apply)
        {
            foreach (var deletion in plan.Deletions)
            {
                logger.LogInformation(
                    "would delete {Target}@{Version}{Size}: {Reason}",
                    target.Name,
                    deletion.Version.Display,
                    Size(deletion.Version),
                    deletion.Reason
                );
            }

            return new RetentionReport(target.Name, plan, false, [], [], []);
        }

        var deleted = new List<RetentionDecision>();
        var failed = new List<(RetentionDecision, string)>();
        var skipped = new List<RetentionDecision>();
        var notGone = new HashSet<string>(StringComparer.Ordinal);
        var inPlan = plan.Deletions.ToDictionary(d => d.Version.Digest, d => d.Version, StringComparer.Ordinal);
        foreach (var deletion in plan.Deletions)
        {
            var version = deletion.Version;
            var blocker = Predecessors(version, inPlan).FirstOrDefault(notGone.Contains);
            if (blocker is not null)
            {
                notGone.Add(version.Digest);
                skipped.Add(deletion);
                logger.LogWarning(
                    "skipped {Target}@{Version}: {Blocker} it depends on could not be deleted",
                    target.Name,
                    version.Display,
                    inPlan[blocker].Display
                );
                continue;
            }

            try
            {
                await target.DeleteAsync(version, cancellationToken).ConfigureAwait(false);
                deleted.Add(deletion);
                logger.LogInformation(
                    "deleted {Target}@{Version}{Size}: {Reason}",
                    target.Name,
                    version.Display,
                    Size(version),
                    deletion.Reason
                );
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                notGone.Add(version.Digest);
                failed.Add((deletion, e.Message));
                logger.LogError(
                    "could not delete {Target}@{Version}: {Error}",
                    target.Name,
                    version.Display,
                    e.Message
                );
            }

            progress?.Report((deleted.Count + failed.Count + skipped.Count, plan.Deletions.Count));
        }

        return new RetentionReport(target.Name, plan, true, deleted, failed, skipped);
    }

    /// <summary>Deletions that must succeed before this one: the indexes listing it, the referrers pointing at
    /// it.</summary>
    private static IEnumerable<string> Predecessors(
        ArtifactVersion version,
        Dictionary<string, ArtifactVersion> inPlan
    ) =>
        inPlan
            .Values.Where(v => v.Children.Contains(version.Digest) || v.AttachedTo == version.Digest)
            .Select(v => v.Digest);

    private static string Size(ArtifactVersion version) =>
        version.SizeBytes is { } bytes ? $" ({ByteSize.Format(bytes)})" : "";
}
