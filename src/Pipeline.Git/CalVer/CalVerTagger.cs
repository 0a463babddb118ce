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
    /// The tag <see cref="TagAsync"/> would put on HEAD if it ran now (HEAD's existing CalVer tag, else the next number of
    /// the day), computed from the same tag listing and creating nothing: what a release image is labelled with before
    /// it is built, ahead of the tag (a tag only for code whose image built).
    /// </summary>
    public async Task<CalVerTag> PlanAsync(CalVerTagOptions options, CancellationToken cancellationToken = default)
    {
        var head = await repository.HeadCommitAsync();
        var (known, _) = await ReadTagsAsync(options, cancellationToken);
        return HighestOn(head, known) ?? CalVerSequence.Next(known.Keys, ReleaseCalendar.Today(options.Clock.GetUtcNow(), options.TimeZone));
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
                var onRemote = remote?.TryGetValue(existing.ToString(), out var r) == true && r.CommitId == head;
                if (!options.Push || onRemote)
                {
                    // Tagged by an earlier run or a rival that won the race: a fresh clone does not have the tag yet, and
                    // Release (same clone, same run) must find it.
                    if (onRemote && !await HasLocalTagAsync(existing.ToString(), head)) await repository.FetchTagAsync(options.Remote, existing.ToString(), cancellationToken);
                    _logger.LogInformation("HEAD {Commit} is already tagged {Tag}; reusing it", Short(head), existing);
                    return Result(existing, head, reused: true, pushed: onRemote, lost, known);
                }

                // A local tag from an earlier run that never reached the remote: finish that run's push.
                var earlier = await repository.PushTagAsync(options.Remote, existing.ToString(), cancellationToken);
                if (earlier.Accepted)
                {
                    _logger.LogInformation("Pushed {Tag}, created earlier on HEAD but not yet on {Remote}", existing, options.Remote);
                    return Result(existing, head, reused: true, pushed: true, lost, known);
                }

                if (!earlier.LostRace) throw Declined(options.Remote, existing.ToString(), earlier);

                _logger.LogWarning("Local tag {Tag} was taken on {Remote} by another commit; dropping the local copy and renumbering", existing, options.Remote);
                await repository.DeleteLocalTagAsync(existing.ToString());
                lost++;
                continue;
            }

            var day = ReleaseCalendar.Today(options.Clock.GetUtcNow(), options.TimeZone);
            var next = CalVerSequence.Next(known.Keys, day);
            Expect(options, next);
            var name = next.ToString();
            await repository.CreateAnnotatedTagAsync(name, options.Message.Replace("{tag}", name, StringComparison.Ordinal), head);
            if (!options.Push)
            {
                _logger.LogInformation("Tagged {Commit} as {Tag} (local only, not pushed)", Short(head), name);
                return Result(next, head, reused: false, pushed: false, lost, known);
            }

            RefPushResult outcome;
            try
            {
                outcome = await repository.PushTagAsync(options.Remote, name, cancellationToken);
            }
            catch
            {
                // Nothing half-done: a tag that could not be pushed must not linger locally and be mistaken for a release.
                await repository.DeleteLocalTagAsync(name);
                throw;
            }

            if (outcome.Accepted)
            {
                _logger.LogInformation("Tagged {Commit} as {Tag} and pushed it to {Remote}", Short(head), name, options.Remote);
                return Result(next, head, reused: false, pushed: true, lost, known);
            }

            await repository.DeleteLocalTagAsync(name);
            if (!outcome.LostRace) throw Declined(options.Remote, name, outcome);
            lost++;
            _logger.LogInformation("{Tag} was taken on {Remote} meanwhile ({Reason}); re-reading tags", name, options.Remote, outcome.Rejection);
        }

        throw new InvalidOperationException(
            $"Could not create a CalVer tag on {options.Remote} after {options.MaxAttempts} attempts: every number was taken or rejected (last lost races: {lost})");
    }

    private static void Expect(CalVerTagOptions options, CalVerTag tag)
    {
        if (options.Expected is { } expected && expected != tag.ToString())
        {
            throw new InvalidOperationException(
                $"the image was labelled {expected}, but the tag for HEAD is now {tag} (another release took {expected} meanwhile, or HEAD moved); nothing was tagged: build the image again so its label names the tag");
        }
    }

    /// <summary>A hook or a rule said no: retrying would get the same answer, so it is reported once, with the remote's words.</summary>
    private static InvalidOperationException Declined(string remote, string tag, RefPushResult outcome)
        => new($"{remote} declined the tag {tag}: {outcome.Rejection}{(outcome.RemoteMessage is { } said ? $"; the remote said: {said}" : "")}");

    private async Task<bool> HasLocalTagAsync(string name, string commit)
        => (await repository.ListLocalTagsAsync(name)).TryGetValue(name, out var local) && local.CommitId == commit;

    /// <summary>Remote tags (when pushing) plus local ones: a number used in either place is taken.</summary>
    private async Task<(Dictionary<string, TagRef> Known, Dictionary<string, TagRef>? Remote)> ReadTagsAsync(CalVerTagOptions options, CancellationToken cancellationToken)
    {
        var known = await repository.ListLocalTagsAsync(CalVerTag.RefGlob, cancellationToken);
        Dictionary<string, TagRef>? remote = null;
        if (options.Push || await repository.HasRemoteAsync(options.Remote))
        {
            try
            {
                remote = await repository.ListRemoteTagsAsync(options.Remote, CalVerTag.RefGlob, cancellationToken);
            }
            catch (Cli.GitException e) when (!options.Push)
            {
                // Local profile on a laptop: an unreachable remote must not stop a local rehearsal.
                _logger.LogWarning("Could not list tags on {Remote} ({Reason}); numbering from local tags only", options.Remote, e.Message);
            }
        }

        // Remote entries win: they are the truth other runners see.
        foreach (var (name, tag) in remote ?? []) known[name] = tag;
        return (known, remote);
    }

    private static CalVerTag? HighestOn(string commit, Dictionary<string, TagRef> tags)
    {
        CalVerTag? best = null;
        foreach (var tag in tags.Values)
        {
            if (tag.CommitId == commit && CalVerTag.TryParse(tag.Name, out var calver) && (best is null || calver > best.Value)) best = calver;
        }

        return best;
    }

    private static CalVerTagResult Result(CalVerTag tag, string head, bool reused, bool pushed, int lost, Dictionary<string, TagRef> known)
    {
        var previous = CalVerSequence.Previous(known.Keys, tag);
        return new CalVerTagResult(tag, head, reused, pushed, lost, previous, previous is { } p ? known[p.ToString()].CommitId : null);
    }

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;
}
