using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Git.History;

namespace Pipeline.GitHub.Notes;

/// <summary>
/// Markdown notes from git history: one entry per merged pull request (its GitHub title and labels when the API gives
/// them, else the merge message), one per commit that came in without a pull request, grouped by <see
/// cref="ChangeKind"/>. Commits inside a merged pull request are not listed again; release merges (main → prod) are
/// vehicles and list nothing.
/// </summary>
public sealed partial class ReleaseNotesComposer(IPullRequestSource? pullRequests = null, ILogger? logger = null)
{
    /// <summary>GitHub's release body limit is 125,000 characters; stay under it with room for the footer.</summary>
    private const int MaxLength = 120_000;

    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    [GeneratedRegex(@"^Merge pull request #(?<n>\d+) from (?<head>\S+)")]
    private static partial Regex MergedPullRequest();

    [GeneratedRegex(@"^(?<title>.+?) \(#(?<n>\d+)\)$")]
    private static partial Regex SquashedPullRequest();

    [GeneratedRegex(@"^Merge (?:remote-tracking )?branch '(?<branch>[^']+)'")]
    private static partial Regex MergedBranch();

    public async Task<string> ComposeAsync(ReleaseNotesInput input, CancellationToken cancellationToken = default)
    {
        var entries = await CollectAsync(input, cancellationToken);
        var notes = new StringBuilder();
        var pulls = entries.Count(e => e.PullRequest is not null);
        var direct = entries.Count - pulls;
        if (input.PreviousTag is null)
        {
            notes.AppendLine($"First release: {Describe(pulls, direct)}.");
        }
        else
        {
            var since = input.RepositoryUrl is null
                ? input.PreviousTag
                : $"[{input.PreviousTag}]({input.RepositoryUrl}/compare/{input.PreviousTag}...{input.Tag})";
            notes.AppendLine(
                entries.Count == 0 ? $"No changes since {since}." : $"Changes since {since}: {Describe(pulls, direct)}."
            );
        }

        foreach (var section in entries.GroupBy(e => e.Kind).OrderBy(g => g.Key))
        {
            notes.AppendLine().AppendLine($"### {Heading(section.Key)}").AppendLine();
            foreach (var entry in section)
            {
                var line = $"- {entry.Text} {entry.Reference}" + (entry.Author is null ? "" : $" by @{entry.Author}");
                if (notes.Length + line.Length > MaxLength)
                {
                    notes.AppendLine().AppendLine($"_Truncated: the full list is in the compare view._");
                    return notes.ToString();
                }

                notes.AppendLine(line);
            }
        }

        return notes.ToString();
    }

    private static string Describe(int pulls, int direct)
    {
        var parts = new List<string>();
        if (pulls > 0)
            parts.Add(pulls == 1 ? "1 pull request" : $"{pulls} pull requests");
        if (direct > 0)
            parts.Add(direct == 1 ? "1 commit" : $"{direct} commits");
        return parts.Count == 0 ? "no changes" : string.Join(" and ", parts);
    }

    private static string Heading(ChangeKind kind) =>
        kind switch
        {
            ChangeKind.Breaking => "Breaking changes",
            ChangeKind.Feature => "Features",
            ChangeKind.Fix => "Fixes",
            ChangeKind.Performance => "Performance",
            ChangeKind.Documentation => "Documentation",
            ChangeKind.Dependencies => "Dependencies",
            ChangeKind.Maintenance => "Maintenance",
            _ => "Other changes",
        };

    private sealed record Entry(ChangeKind Kind, string Text, string Reference, string? Author, int? PullRequest);

    private async Task<List<Entry>> CollectAsync(ReleaseNotesInput input, CancellationToken cancellationToken)
    {
        var bySha = input.Commits.ToDictionary(c => c.Sha, StringComparer.Ordinal);
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        var pulls = new List<(int Number, string Fallback, string? Author, GitCommit Commit)>();
        bool Relevant(string sha) => input.Relevant is null || input.Relevant.Contains(sha);

        foreach (var commit in input.Commits)
        {
            if (commit.IsMerge)
            {
                if (IsReleaseVehicle(commit, input.MainBranch))
                    continue;
                var merged = MergedPullRequest().Match(commit.Subject);
                if (!merged.Success)
                    continue; // other merges (branch syncs) are structure, not changes
                var own = OnlyOnSecondParent(commit, bySha);
                claimed.UnionWith(own);
                if (!own.Any(Relevant))
                    continue; // a pull request that did not touch this release's files
                // GitHub writes the pull request title as the merge commit's body.
                var fallback = commit.Body.Split('\n', 2)[0].Trim() is { Length: > 0 } title ? title : commit.Subject;
                pulls.Add((int.Parse(merged.Groups["n"].Value), fallback, null, commit));
            }
            else if (SquashedPullRequest().Match(commit.Subject) is { Success: true } squashed)
            {
                claimed.Add(commit.Sha);
                if (Relevant(commit.Sha))
                    pulls.Add(
                        (int.Parse(squashed.Groups["n"].Value), squashed.Groups["title"].Value, commit.Author, commit)
                    );
            }
        }

        var entries = new List<Entry>();
        var lookupsFailed = false;
        foreach (var (number, fallback, author, _) in pulls.DistinctBy(p => p.Number))
        {
            PullRequestInfo? info = null;
            if (pullRequests is not null && !lookupsFailed)
            {
                try
                {
                    info = await pullRequests.FindAsync(number, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Notes are still useful from commit messages: warn once and stop asking.
                    lookupsFailed = true;
                    _logger.LogWarning("Pull request titles unavailable ({Reason}); using merge messages", e.Message);
                }
            }

            var (kind, text) = ChangeClassifier.Classify(info?.Title ?? fallback, info?.Labels);
            entries.Add(new Entry(kind, text, $"(#{number})", info?.Author ?? author, number));
        }

        foreach (var commit in input.Commits.Where(c => !c.IsMerge && !claimed.Contains(c.Sha) && Relevant(c.Sha)))
        {
            var (kind, text) = ChangeClassifier.Classify(commit.Subject);
            entries.Add(new Entry(kind, text, $"({commit.ShortSha})", null, null));
        }

        return entries;
    }

    private static bool IsReleaseVehicle(GitCommit merge, string mainBranch)
    {
        var pull = MergedPullRequest().Match(merge.Subject);
        if (pull.Success)
        {
            var head = pull.Groups["head"].Value; // owner/branch
            return head == mainBranch || head.EndsWith("/" + mainBranch, StringComparison.Ordinal);
        }

        var branch = MergedBranch().Match(merge.Subject);
        return branch.Success
            && (
                branch.Groups["branch"].Value == mainBranch
                || branch.Groups["branch"].Value.EndsWith("/" + mainBranch, StringComparison.Ordinal)
            );
    }

    /// <summary>Commits of the range reachable from the merged branch but not from the branch merged into: that pull
    /// request's own commits.</summary>
    private static HashSet<string> OnlyOnSecondParent(GitCommit merge, Dictionary<string, GitCommit> range)
    {
        var theirs = Reachable(merge.Parents[1], range);
        theirs.ExceptWith(Reachable(merge.Parents[0], range));
        return theirs;
    }

    private static HashSet<string> Reachable(string start, Dictionary<string, GitCommit> range)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        pending.Push(start);
        while (pending.TryPop(out var sha))
        {
            if (!range.TryGetValue(sha, out var commit) || !seen.Add(sha))
                continue;
            foreach (var parent in commit.Parents)
                pending.Push(parent);
        }

        return seen;
    }
}
