using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Git.Refs;

namespace Pipeline.Git.CalVer;

/// <summary>
/// Puts the next <c>vYY.MM.DD.i</c> on HEAD. The remote is the authority: its tags are read in one listing, the tag is
/// pushed without force, and a rejection (another runner took the number) means re-read and take the next one.
/// Existing tags are never moved, and a HEAD that is already tagged keeps its tag.
/// </summary>
public sealed class CalVerTagger(GitRepository repository, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>
    /// The tag <see cref="TagAsync"/> would put on HEAD if it ran now (HEAD's existing CalVer tag, else the next number
    /// of the day), computed from the same tag listing and creating nothing: what a release image is labelled with
    /// before it is built, ahead of the tag (a tag only for code whose image built).
    /// </summary>
    public async Task<CalVerTag> PlanAsync(CalVerTagOptions options, CancellationToken cancellationToken = default)
    {
        var head = await repository.HeadCommitAsync();
        var (known, _) = await ReadTagsAsync(options, cancellationToken);
        return HighestOn(head, known)
            ?? CalVerSequence.Next(known.Keys, ReleaseCalendar.Today(options.Clock.GetUtcNow(), options.TimeZone));
    }

    public async Task<CalVerTagResult> TagAsync(CalVerTagOptions options, CancellationToken cancellationToken = default)
    {
        var head = await repository.HeadCommitAsync();
        var lost = 0;
        for (var attempt = 1; attempt <= options.MaxAttempts; attempt++)
        {
            var (known, remote) = await ReadTagsAsync(options, cancellationToken);

            if (HighestOn(head, known) is { } existing)
            {
                Expect(options, existing);
                var existingName = options.Prefix + existing;
                var onRemote = remote?.TryGetValue(existing.ToString(), out var r) == true && r.CommitId == head;
                if (!options.Push || onRemote)
                {
                    // Tagged by an earlier run or a rival that won the race: a fresh clone does not have the tag yet,
                    // and Release (same clone, same run) must find it.
                    if (onRemote && !await HasLocalTagAsync(existingName, head))
                        await repository.FetchTagAsync(options.Remote, existingName, cancellationToken);
                    _logger.LogInformation(
                        "HEAD {Commit} is already tagged {Tag}; reusing it",
                        Short(head),
                        existingName
                    );
                    return Result(options, existing, head, reused: true, pushed: onRemote, lost, known);
                }

                // A local tag from an earlier run that never reached the remote: finish that run's push.
                var earlier = await repository.PushTagAsync(options.Remote, existingName, cancellationToken);
                if (earlier.Accepted)
                {
                    _logger.LogInformation(
                        "Pushed {Tag}, created earlier on HEAD but not yet on {Remote}",
                        existingName,
                        options.Remote
                    );
                    return Result(options, existing, head, reused: true, pushed: true, lost, known);
                }

                if (!earlier.LostRace)
                    throw Declined(options.Remote, existingName, earlier);

                _logger.LogWarning(
                    "Local tag {Tag} was taken on {Remote} by another commit; dropping the local copy and renumbering",
                    existingName,
                    options.Remote
                );
                await repository.DeleteLocalTagAsync(existingName);
                lost++;
                continue;
            }

            var day = ReleaseCalendar.Today(options.Clock.GetUtcNow(), options.TimeZone);
            var next = CalVerSequence.Next(known.Keys, day);
            Expect(options, next);
            var name = options.Prefix + next;
            await repository.CreateAnnotatedTagAsync(
                name,
                options.Message.Replace("{tag}", name, StringComparison.Ordinal),
                head
            );
            if (!options.Push)
            {
                _logger.LogInformation("Tagged {Commit} as {Tag} (local only, not pushed)", Short(head), name);
                return Result(options, next, head, reused: false, pushed: false, lost, known);
            }

            RefPushResult outcome;
            try
            {
                outcome = await repository.PushTagAsync(options.Remote, name, cancellationToken);
            }
            catch
            {
                // Nothing half-done: a tag that could not be pushed must not linger locally and be mistaken for a
                // release.
                await repository.DeleteLocalTagAsync(name);
                throw;
            }

            if (outcome.Accepted)
            {
                _logger.LogInformation(
                    "Tagged {Commit} as {Tag} and pushed it to {Remote}",
                    Short(head),
                    name,
                    options.Remote
                );
                return Result(options, next, head, reused: false, pushed: true, lost, known);
            }

            await repository.DeleteLocalTagAsync(name);
            if (!outcome.LostRace)
                throw Declined(options.Remote, name, outcome);
            lost++;
            _logger.LogInformation(
                "{Tag} was taken on {Remote} meanwhile ({Reason}); re-reading tags",
                name,
                options.Remote,
                outcome.Rejection
            );
        }

        throw new InvalidOperationException(
            $"Could not create a CalVer tag on {options.Remote} after {options.MaxAttempts} "
                + $"attempts: every number was taken or rejected (last lost races: {lost})"
        );
    }

    /// <summary>
    /// One tag per prefix on HEAD, for parts of the repository released on their own (<c>api-v26.12.01.1</c>,
    /// <c>web-v26.12.01.3</c>): each numbered from its own prefix's tags (its own per-day counter), reused when HEAD
    /// already has one, and all pushed in ONE atomic push, so the remote takes every tag of the run or none. Every tag
    /// is decided (and checked against <paramref name="expected"/>, prefix → the label its image carries) before any is
    /// created; a failed push deletes the tags this attempt created, a lost race re-reads and renumbers.
    /// </summary>
    public async Task<IReadOnlyList<CalVerTagResult>> TagEachAsync(
        IReadOnlyList<string> prefixes,
        CalVerTagOptions options,
        IReadOnlyDictionary<string, string?>? expected = null,
        CancellationToken cancellationToken = default
    )
    {
        var head = await repository.HeadCommitAsync();
        var lost = 0;
        for (var attempt = 1; attempt <= options.MaxAttempts; attempt++)
        {
            var today = ReleaseCalendar.Today(options.Clock.GetUtcNow(), options.TimeZone);
            var plans = new List<PrefixPlan>();
            foreach (var prefix in prefixes)
            {
                var each = options with { Prefix = prefix, Expected = expected?.GetValueOrDefault(prefix) };
                var (known, remote) = await ReadTagsAsync(each, cancellationToken);
                var existing = HighestOn(head, known);
                var tag = existing ?? CalVerSequence.Next(known.Keys, today);
                Expect(each, tag);
                var onRemote =
                    existing is not null
                    && remote?.TryGetValue(tag.ToString(), out var r) == true
                    && r.CommitId == head;
                plans.Add(new PrefixPlan(each, tag, existing is not null, onRemote, known));
            }

            var created = new List<string>();
            var keep = false;
            try
            {
                foreach (var plan in plans.Where(p => !p.Reused))
                {
                    await repository.CreateAnnotatedTagAsync(
                        plan.Name,
                        options.Message.Replace("{tag}", plan.Name, StringComparison.Ordinal),
                        head
                    );
                    created.Add(plan.Name);
                }

                var toPush = options.Push ? plans.Where(p => !p.OnRemote).Select(p => p.Name).ToList() : [];
                var outcome =
                    toPush.Count == 0
                        ? RefPushResult.Created
                        : await repository.PushTagsAsync(options.Remote, toPush, cancellationToken);
                if (!outcome.Accepted)
                {
                    if (!outcome.LostRace)
                        throw Declined(options.Remote, string.Join(", ", toPush), outcome);
                    // Another runner took a number: drop this attempt's tags (and earlier runs' unpushed ones) and
                    // renumber all.
                    foreach (var plan in plans.Where(p => p.Reused && toPush.Contains(p.Name)))
                        await repository.DeleteLocalTagAsync(plan.Name);
                    lost++;
                    _logger.LogInformation(
                        "{Tags} lost a race on {Remote} ({Reason}); re-reading tags",
                        string.Join(", ", toPush),
                        options.Remote,
                        outcome.Rejection
                    );
                    continue;
                }

                keep = true;
                foreach (var plan in plans.Where(p => p.OnRemote))
                {
                    if (!await HasLocalTagAsync(plan.Name, head))
                        await repository.FetchTagAsync(options.Remote, plan.Name, cancellationToken);
                }

                foreach (var plan in plans)
                {
                    var how =
                        plan.Reused ? "already tagged, reusing it"
                        : options.Push ? $"tagged and pushed to {options.Remote}"
                        : "tagged (local only, not pushed)";
                    _logger.LogInformation("{Commit}: {Tag} ({How})", Short(head), plan.Name, how);
                }

                return plans
                    .Select(p =>
                        Result(p.Options, p.Tag, head, p.Reused, pushed: options.Push || p.OnRemote, lost, p.Known)
                    )
                    .ToList();
            }
            finally
            {
                // Nothing half-done: a tag this attempt created that did not reach the remote must not linger.
                if (!keep)
                {
                    foreach (var name in created)
                        await repository.DeleteLocalTagAsync(name);
                }
            }
        }

        throw new InvalidOperationException(
            $"Could not create the CalVer tags on {options.Remote} after {options.MaxAttempts} "
                + $"attempts: every number was taken or rejected (last lost races: {lost})"
        );
    }

    private sealed record PrefixPlan(
        CalVerTagOptions Options,
        CalVerTag Tag,
        bool Reused,
        bool OnRemote,
        Dictionary<string, TagRef> Known
    )
    {
        public string Name => Options.Prefix + Tag;
    }

    private static void Expect(CalVerTagOptions options, CalVerTag tag)
    {
        if (options.Expected is { } expected && expected != options.Prefix + tag)
        {
            throw new InvalidOperationException(
                $"the image was labelled {expected}, but the tag for HEAD is now "
                    + $"{options.Prefix + tag} (another release took {expected} meanwhile, or HEAD "
                    + $"moved); nothing was tagged: build the image again so its label names the tag"
            );
        }
    }

    /// <summary>A hook or a rule said no: retrying would get the same answer, so it is reported once, with the remote's
    /// words.</summary>
    private static InvalidOperationException Declined(string remote, string tag, RefPushResult outcome) =>
        new(
            $"{remote} declined the tag {tag}: "
                + $"{outcome.Rejection}{(outcome.RemoteMessage is { } said ? $"; the remote said: {said}" : "")}"
        );

    private async Task<bool> HasLocalTagAsync(string name, string commit) =>
        (await repository.ListLocalTagsAsync(name)).TryGetValue(name, out var local) && local.CommitId == commit;

    /// <summary>
    /// Remote tags (when pushing) plus local ones: a number used in either place is taken. Keyed by the name without
    /// <see cref="CalVerTagOptions.Prefix"/>, only tags with that prefix, so numbering and reuse see one prefix's tags.
    /// </summary>
    private async Task<(Dictionary<string, TagRef> Known, Dictionary<string, TagRef>? Remote)> ReadTagsAsync(
        CalVerTagOptions options,
        CancellationToken cancellationToken
    )
    {
        var glob = options.Prefix + CalVerTag.RefGlob;
        var known = Unprefixed(await repository.ListLocalTagsAsync(glob, cancellationToken), options.Prefix);
        Dictionary<string, TagRef>? remote = null;
        if (options.Push || await repository.HasRemoteAsync(options.Remote))
        {
            try
            {
                remote = Unprefixed(
                    await repository.ListRemoteTagsAsync(options.Remote, glob, cancellationToken),
                    options.Prefix
                );
            }
            catch (Cli.GitException e) when (!options.Push)
            {
                // Local profile on a laptop: an unreachable remote must not stop a local rehearsal.
                _logger.LogWarning(
                    "Could not list tags on {Remote} ({Reason}); numbering from local tags only",
                    options.Remote,
                    e.Message
                );
            }
        }

        // Remote entries win: they are the truth other runners see.
        foreach (var (name, tag) in remote ?? [])
            known[name] = tag;
        return (known, remote);
    }

    private static Dictionary<string, TagRef> Unprefixed(Dictionary<string, TagRef> tags, string prefix) =>
        prefix.Length == 0
            ? tags
            : tags.Where(t => t.Key.StartsWith(prefix, StringComparison.Ordinal))
                .ToDictionary(t => t.Key[prefix.Length..], t => t.Value, StringComparer.Ordinal);

    private static CalVerTag? HighestOn(string commit, Dictionary<string, TagRef> tags)
    {
        CalVerTag? best = null;
        foreach (var (name, tag) in tags)
        {
            if (
                tag.CommitId == commit
                && CalVerTag.TryParse(name, out var calver)
                && (best is null || calver > best.Value)
            )
                best = calver;
        }

        return best;
    }

    private static CalVerTagResult Result(
        CalVerTagOptions options,
        CalVerTag tag,
        string head,
        bool reused,
        bool pushed,
        int lost,
        Dictionary<string, TagRef> known
    )
    {
        var previous = CalVerSequence.Previous(known.Keys, tag);
        return new CalVerTagResult(
            tag,
            head,
            reused,
            pushed,
            lost,
            previous,
            previous is { } p ? known[p.ToString()].CommitId : null,
            options.Prefix
        );
    }

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;
}
