namespace Pipeline.Retention;

/// <summary>
/// Applies a <see cref="RetentionPolicy"/> to a repository's versions. Pure: no I/O, the clock and pull request states
/// are inputs.
/// <list type="number">
/// <item>Keep rules (and the built-in <c>v*</c> guard) win over delete rules.</item>
/// <item>A version no delete rule selects stays.</item>
/// <item>Every manifest a kept index lists, and every referrer of a kept manifest, stays: on GHCR and GAR the platform
/// images and attestations of a multi-arch image are untagged versions, and deleting them breaks the tagged
/// image.</item>
/// <item>An untagged manifest reachable only from deleted manifests goes with them, so deleting <c>pr-*</c> leaves no
/// orphans behind.</item>
/// </list>
/// </summary>
internal static class RetentionPlanner
{
    public static RetentionPlan Plan(
        IReadOnlyList<ArtifactVersion> versions,
        RetentionPolicy policy,
        DateTimeOffset now,
        IReadOnlySet<int>? closedPullRequests = null
    )
    {
        policy.Validate();
        closedPullRequests ??= new HashSet<int>();
        var byDigest = new Dictionary<string, ArtifactVersion>(StringComparer.Ordinal);
        foreach (var version in versions)
            byDigest.TryAdd(version.Digest, version);

        // Edges point from what keeps a manifest alive to the manifest: index -> child, subject -> referrer.
        var dependents = versions.ToDictionary(v => v.Digest, _ => new List<ArtifactVersion>(), StringComparer.Ordinal);
        var parents = versions.ToDictionary(v => v.Digest, _ => new List<ArtifactVersion>(), StringComparer.Ordinal);
        foreach (var version in byDigest.Values)
        {
            foreach (var child in version.Children.Where(byDigest.ContainsKey))
                Link(version, byDigest[child]);
            if (version.AttachedTo is { } subject && byDigest.TryGetValue(subject, out var target))
                Link(target, version);
        }

        var keepReasons = KeepReasons(byDigest.Values, policy, now);
        var deleteReasons = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var version in byDigest.Values)
        {
            if (DeleteReason(version, policy, now, closedPullRequests) is { } reason)
                deleteReasons[version.Digest] = reason;
        }

        // Roots of liveness: kept by a rule, or not selected by any delete rule (unless it is an untagged dependent,
        // whose fate follows its parents).
        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<ArtifactVersion>();
        foreach (var version in byDigest.Values)
        {
            var reason = keepReasons.GetValueOrDefault(version.Digest);
            // An attachment (signature, attestation, SBOM) lives exactly as long as its image, whatever its own tag
            // says.
            if (
                reason is null
                && !deleteReasons.ContainsKey(version.Digest)
                && !version.IsAttachment
                && (version.IsTagged || parents[version.Digest].Count == 0)
            )
            {
                reason = "no delete rule selects it";
            }

            if (reason is null)
                continue;
            reasons[version.Digest] = reason;
            queue.Enqueue(version);
        }

        while (queue.Count > 0)
        {
            var live = queue.Dequeue();
            foreach (var dependent in dependents[live.Digest])
            {
                if (reasons.ContainsKey(dependent.Digest))
                    continue;
                reasons[dependent.Digest] =
                    dependent.AttachedTo == live.Digest
                        ? $"refers to kept {live.Display}"
                        : $"listed by kept index {live.Display}";
                queue.Enqueue(dependent);
            }
        }

        var kept = new List<RetentionDecision>();
        var deleted = new List<ArtifactVersion>();
        foreach (var version in byDigest.Values)
        {
            if (reasons.TryGetValue(version.Digest, out var why))
                kept.Add(new RetentionDecision(version, false, why));
            else
                deleted.Add(version);
        }

        var deletions = SafeOrder(deleted, byDigest)
            .Select(v => new RetentionDecision(
                v,
                true,
                deleteReasons.GetValueOrDefault(v.Digest)
                    ?? (
                        parents[v.Digest].Count == 0 && v.IsAttachment
                            ? $"attached to {v.AttachedTo![..19]}, which is gone"
                            : $"only listed by deleted {string.Join(", ", parents[v.Digest].Select(p => p.Display))}"
                    )
            ))
            .ToList();
        return new RetentionPlan(deletions, kept);

        void Link(ArtifactVersion from, ArtifactVersion to)
        {
            dependents[from.Digest].Add(to);
            parents[to.Digest].Add(from);
        }
    }

    /// <summary>Which versions delete rule <paramref name="rule"/> would select, ignoring keep rules (for explaining a
    /// policy).</summary>
    public static bool Matches(
        DeleteRule rule,
        ArtifactVersion version,
        DateTimeOffset now,
        IReadOnlySet<int> closedPullRequests
    )
    {
        if (!MatchesTags(rule.TagState, rule.TagPrefixes, version))
            return false;
        if (rule.OlderThan is { } age && (version.CreatedAt is not { } created || now - created <= age))
            return false;
        if (
            rule.PullRequestClosed
            && !version.Tags.Any(t => PullRequestTag.Parse(t) is { } n && closedPullRequests.Contains(n))
        )
            return false;
        return true;
    }

    private static string? DeleteReason(
        ArtifactVersion version,
        RetentionPolicy policy,
        DateTimeOffset now,
        IReadOnlySet<int> closed
    )
    {
        var rule = policy.Delete.FirstOrDefault(r => Matches(r, version, now, closed));
        if (rule is null)
            return null;
        var details = new List<string>();
        if (rule.OlderThan is not null && version.CreatedAt is { } created)
            details.Add($"{(now - created).TotalDays:0.#} days old");
        if (rule.PullRequestClosed)
        {
            var numbers = version.Tags.Select(PullRequestTag.Parse).OfType<int>().Where(closed.Contains);
            details.Add($"pull request #{string.Join(", #", numbers)} closed");
        }

        if (rule.TagState == TagState.Untagged)
            details.Add("untagged");
        return details.Count == 0
            ? $"delete rule '{rule.Name}'"
            : $"delete rule '{rule.Name}': {string.Join(", ", details)}";
    }

    private static Dictionary<string, string> KeepReasons(
        IEnumerable<ArtifactVersion> versions,
        RetentionPolicy policy,
        DateTimeOffset now
    )
    {
        var all = versions.ToList();
        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var version in all)
        {
            var release = version.Tags.FirstOrDefault(t =>
                RetentionPolicy.ProtectedTagPrefixes.Any(p => t.StartsWith(p, StringComparison.Ordinal))
            );
            if (release is not null)
                reasons[version.Digest] = $"release tag {release} is never deleted";
        }

        foreach (var rule in policy.Keep)
        {
            var selected = all.Where(v => MatchesTags(rule.TagState, rule.TagPrefixes, v))
                .Where(v => rule.NewerThan is not { } age || v.CreatedAt is not { } created || now - created < age);
            if (rule.MostRecent is { } count)
            {
                // Unknown ages sort last: "most recent" should not be decided by versions we cannot date.
                selected = selected
                    .OrderByDescending(v => v.CreatedAt ?? DateTimeOffset.MinValue)
                    .ThenBy(v => v.Digest, StringComparer.Ordinal)
                    .Take(count);
            }

            foreach (var version in selected)
                reasons.TryAdd(version.Digest, $"keep rule '{rule.Name}'");
        }

        return reasons;
    }

    private static bool MatchesTags(TagState state, IReadOnlyList<string> prefixes, ArtifactVersion version)
    {
        if (state == TagState.Tagged && !version.IsTagged)
            return false;
        if (state == TagState.Untagged && version.IsTagged)
            return false;
        return prefixes.Count == 0
            || version.Tags.Any(t => prefixes.Any(p => t.StartsWith(p, StringComparison.Ordinal)));
    }

    /// <summary>Index before its children, referrer before its subject; ties in input order (stable, so logs are
    /// reproducible).</summary>
    private static List<ArtifactVersion> SafeOrder(
        List<ArtifactVersion> deleted,
        Dictionary<string, ArtifactVersion> byDigest
    )
    {
        var set = deleted.Select(v => v.Digest).ToHashSet(StringComparer.Ordinal);
        var mustFollow = deleted.ToDictionary(v => v.Digest, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var version in deleted)
        {
            foreach (var child in version.Children.Where(set.Contains))
                mustFollow[child].Add(version.Digest);
            if (version.AttachedTo is { } subject && set.Contains(subject))
                mustFollow[subject].Add(version.Digest);
        }

        var ordered = new List<ArtifactVersion>();
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: visiting, true: done
        foreach (var version in deleted)
            Visit(version.Digest);
        return ordered;

        void Visit(string digest)
        {
            if (state.TryGetValue(digest, out var done))
            {
                if (!done)
                    throw new InvalidOperationException($"manifest graph has a cycle through {digest}");
                return;
            }

            state[digest] = false;
            foreach (var before in mustFollow[digest])
                Visit(before);
            state[digest] = true;
            ordered.Add(byDigest[digest]);
        }
    }
}
