using Microsoft.Extensions.Logging;
using Pipeline.Git.Cli;
using Pipeline.Git.History;
using Pipeline.Git.Refs;

namespace Pipeline.Git;

/// <summary>The git operations the release flow needs, over one working tree.</summary>
public sealed class GitRepository(GitCli git)
{
    public GitRepository(string workingDirectory, ILogger? logger = null)
        : this(new GitCli(workingDirectory, logger)) { }

    public GitCli Cli { get; } = git;

    public Task<string> HeadCommitAsync() => Cli.ReadAsync("rev-parse", "--verify", "HEAD^{commit}");

    /// <summary>The checked-out branch, or null when HEAD is detached.</summary>
    public async Task<string?> CurrentBranchAsync()
    {
        var result = await Cli.RunAsync(["symbolic-ref", "--short", "-q", "HEAD"], check: false);
        return result.Succeeded ? result.StandardOutput.Trim() : null;
    }

    public async Task<bool> HasRemoteAsync(string remote) =>
        (await Cli.ReadAsync("remote"))
            .Split('\n', StringSplitOptions.TrimEntries)
            .Contains(remote, StringComparer.Ordinal);

    /// <summary>
    /// Changed, staged or untracked (not ignored) paths, as <c>git status --porcelain</c> lists them: what would make
    /// the working tree differ from HEAD, and so an image built from it differ from the tagged commit.
    /// </summary>
    /// <param name="excluded">Folders the build itself writes (artifacts, caches), relative to the root: never
    /// counted.</param>
    public async Task<IReadOnlyList<string>> UncommittedChangesAsync(params string[] excluded) =>
        (
            await Cli.RunAsync(
                ["status", "--porcelain", "--no-renames", "--", ".", .. excluded.Select(e => ":(exclude)" + e)],
                check: true
            )
        )
            .StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Length > 3 ? line[3..].Trim() : line.Trim())
            .ToList();

    /// <summary>
    /// Paths that differ between <paramref name="baseCommit"/>'s merge base with HEAD (the base itself when they share
    /// no history in this clone) and the working tree, untracked files included: what a change set touches. A rename
    /// counts as both paths.
    /// </summary>
    public async Task<IReadOnlyList<string>> ChangedSinceAsync(string baseCommit)
    {
        var mergeBase = await Cli.RunAsync(["merge-base", baseCommit, "HEAD"], check: false);
        var from = mergeBase.Succeeded ? mergeBase.StandardOutput.Trim() : baseCommit;
        var tracked = await Cli.RunAsync(["diff", "--name-only", "--no-renames", "-z", from, "--"], check: true);
        var untracked = await Cli.RunAsync(["ls-files", "--others", "--exclude-standard", "-z"], check: true);
        return tracked
            .StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Concat(untracked.StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The files of the working tree that git would commit: tracked ones and untracked ones not ignored, matching the
    /// pathspecs (e.g. <c>*.cs</c>), relative to the root; a deleted tracked file is left out.
    /// </summary>
    public async Task<IReadOnlyList<string>> WorkingFilesAsync(params string[] pathspecs)
    {
        var listed = await Cli.RunAsync(
            ["ls-files", "--cached", "--others", "--exclude-standard", "-z", "--", .. pathspecs],
            check: true
        );
        return listed
            .StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Where(f => File.Exists(Path.Combine(Cli.WorkingDirectory, f)))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>A file's text at a revision, or null when it did not exist there.</summary>
    public async Task<string?> ReadFileAtAsync(string revision, string path)
    {
        var result = await Cli.RunAsync(["show", $"{revision}:{path}"], check: false);
        return result.Succeeded ? result.StandardOutput : null;
    }

    public async Task<bool> IsShallowAsync() => await Cli.ReadAsync("rev-parse", "--is-shallow-repository") == "true";

    public async Task<string?> ResolveAsync(string revision)
    {
        var result = await Cli.RunAsync(["rev-parse", "--verify", "-q", revision + "^{commit}"], check: false);
        return result.Succeeded ? result.StandardOutput.Trim() : null;
    }

    /// <summary>
    /// Every tag matching <paramref name="glob"/> on the remote, in ONE round trip. The peeled <c>^{}</c> lines are
    /// kept (no <c>--refs</c>) because they tell which commit an annotated tag points at, so "HEAD is already released"
    /// is answered from the same listing, even in a clone that fetched no tags.
    /// </summary>
    public async Task<Dictionary<string, TagRef>> ListRemoteTagsAsync(
        string remote,
        string glob,
        CancellationToken cancellationToken = default
    )
    {
        var result = await Cli.RunAsync(["ls-remote", "--tags", remote, glob], check: true, cancellationToken);
        return TagListing.ParseLsRemote(result.StandardOutput);
    }

    public async Task<Dictionary<string, TagRef>> ListLocalTagsAsync(
        string glob,
        CancellationToken cancellationToken = default
    )
    {
        var result = await Cli.RunAsync(
            ["for-each-ref", "--format=%(refname:strip=2)%09%(objectname)%09%(*objectname)", "refs/tags/" + glob],
            check: true,
            cancellationToken
        );
        return TagListing.ParseForEachRef(result.StandardOutput);
    }

    public Task CreateAnnotatedTagAsync(string name, string message, string commit) =>
        Cli.RunAsync("tag", "--annotate", "--message", message, name, commit);

    public Task DeleteLocalTagAsync(string name) => Cli.RunAsync("tag", "--delete", name);

    /// <summary>
    /// Pushes one tag with <c>--atomic --porcelain</c>. Without <c>--force</c> the server refuses to overwrite an
    /// existing tag, which is what makes the tag name a lock: the loser of a race gets a rejection, never a moved tag.
    /// </summary>
    public Task<RefPushResult> PushTagAsync(
        string remote,
        string name,
        CancellationToken cancellationToken = default
    ) => PushTagsAsync(remote, [name], cancellationToken);

    /// <summary>
    /// Pushes several tags in ONE <c>git push --atomic</c>: the remote takes all of them or none (each service's
    /// release tag of one release). A rejection reports the ref that caused it, not the others' "atomic push failed".
    /// </summary>
    public async Task<RefPushResult> PushTagsAsync(
        string remote,
        IReadOnlyList<string> names,
        CancellationToken cancellationToken = default
    )
    {
        var refspecs = names.Select(n => $"refs/tags/{n}:refs/tags/{n}").ToList();
        var arguments = new[] { "push", "--atomic", "--porcelain", "--no-verify", remote }.Concat(refspecs).ToArray();
        var result = await Cli.RunAsync(arguments, check: false, cancellationToken);
        var accepted = 0;
        var rejections = new List<string>();
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // Porcelain: "<flag>\t<from>:<to>\t<summary> (<reason>)"; '!' rejected, '*' new ref, '=' up to date.
            var fields = line.Split('\t');
            if (fields.Length < 3 || !refspecs.Contains(fields[1]))
                continue;
            if (fields[0] is "*" or "=")
                accepted++;
            else if (fields[0] == "!")
                rejections.Add(fields[2].Trim());
        }

        if (rejections.Count > 0)
        {
            var cause =
                rejections.FirstOrDefault(r => !r.Contains("atomic push failed", StringComparison.Ordinal))
                ?? rejections[0];
            return RefPushResult.Rejected(cause, RemoteMessage(result.StandardError));
        }

        if (accepted == refspecs.Count || result.Succeeded)
            return RefPushResult.Created;
        throw GitCli.Failure(arguments, result);
    }

    /// <summary>The "remote: ..." lines of a push (a hook's explanation), joined; null when the remote said
    /// nothing.</summary>
    private static string? RemoteMessage(string standardError)
    {
        var lines = standardError
            .Split('\n')
            .Select(l => l.TrimEnd('\r'))
            .Where(l => l.StartsWith("remote:", StringComparison.Ordinal))
            .Select(l => l["remote:".Length..].Trim())
            .Where(l => l.Length > 0)
            .ToList();
        return lines.Count == 0 ? null : GitCli.Redact(string.Join(" / ", lines));
    }

    /// <summary>Copies one tag from the remote into this clone (a fresh CI clone has none):
    /// <c>+refs/tags/T:refs/tags/T</c>.</summary>
    public Task FetchTagAsync(string remote, string name, CancellationToken cancellationToken = default) =>
        Cli.RunAsync(
            ["fetch", "--no-tags", "--quiet", remote, $"+refs/tags/{name}:refs/tags/{name}"],
            check: true,
            cancellationToken
        );

    public Task FetchAsync(string remote, params string[] refspecs) =>
        Cli.RunAsync(["fetch", "--no-tags", "--quiet", remote, .. refspecs]);

    public Task UnshallowAsync(string remote) => Cli.RunAsync("fetch", "--unshallow", "--no-tags", "--quiet", remote);

    /// <summary>
    /// Non-merge commits reachable from <paramref name="head"/> whose change is not in <paramref name="mainRef"/>,
    /// compared by patch id (<c>--cherry-pick</c>) so a hotfix backported by cherry-pick counts as present.
    /// </summary>
    public async Task<IReadOnlyList<GitCommit>> CommitsMissingFromAsync(string mainRef, string head) =>
        ParseLog(
            await Cli.ReadAsync("log", "--cherry-pick", "--right-only", "--no-merges", LogFormat, $"{mainRef}...{head}")
        );

    /// <summary>Commits in <c>from..to</c> (all of <paramref name="to"/>'s history when <paramref name="from"/> is
    /// null), newest first, merges included.</summary>
    public async Task<IReadOnlyList<GitCommit>> LogAsync(string? from, string to) =>
        ParseLog(await Cli.ReadAsync("log", LogFormat, from is null ? to : $"{from}..{to}"));

    /// <summary>
    /// The non-merge commits of <c>from..to</c> (all of <paramref name="to"/>'s history when <paramref name="from"/> is
    /// null) that change a path matching one of <paramref name="globs"/> (relative to the root, <c>**</c> allowed),
    /// side branches included: what a release of part of the repository ships.
    /// </summary>
    public async Task<IReadOnlySet<string>> CommitsTouchingAsync(string? from, string to, IReadOnlyList<string> globs)
    {
        var output = await Cli.ReadAsync([
            "rev-list",
            "--no-merges",
            "--full-history",
            from is null ? to : $"{from}..{to}",
            "--",
            .. globs.Select(g => ":(glob)" + g),
        ]);
        return output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToHashSet(StringComparer.Ordinal);
    }

    // Unit and record separators cannot appear in subjects or bodies typed by people.
    private const string LogFormat = "--format=%H%x1f%P%x1f%an%x1f%s%x1f%b%x1e";

    internal static IReadOnlyList<GitCommit> ParseLog(string output)
    {
        var commits = new List<GitCommit>();
        foreach (var record in output.Split('\x1e', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = record.TrimStart('\n', '\r').Split('\x1f');
            if (fields.Length < 5)
                continue;
            commits.Add(
                new GitCommit(
                    fields[0],
                    fields[1].Split(' ', StringSplitOptions.RemoveEmptyEntries),
                    fields[2],
                    fields[3],
                    fields[4].Trim()
                )
            );
        }

        return commits;
    }
}
