using System.Text;
using Pipeline.Git;

namespace Pipeline.Components.Release;

/// <summary>
/// The public API added and removed since the previous release, read from the PublicAPI.Shipped.txt /
/// PublicAPI.Unshipped.txt baselines (Microsoft.CodeAnalysis.PublicApiAnalyzers) at the previous tag and at the release
/// commit, one section per package (the folder holding the baselines). CalVer says when; this says what changed,
/// removals under "Breaking".
/// </summary>
internal static class PublicApiChanges
{
    public const string ShippedFile = "PublicAPI.Shipped.txt";
    public const string UnshippedFile = "PublicAPI.Unshipped.txt";
    private const string RemovedMarker = "*REMOVED*";

    /// <summary>The notes section for <paramref name="from"/>..<paramref name="to"/>, or null when no baseline changed
    /// (or there are none).</summary>
    public static async Task<string?> DescribeAsync(GitRepository git, string? from, string to)
    {
        var listed = await git.Cli.RunAsync(["ls-tree", "-r", "--name-only", to], check: false);
        var paths = listed
            .StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(p => Path.GetFileName(p) is ShippedFile or UnshippedFile)
            .ToList();
        if (from is not null)
        {
            var earlier = await git.Cli.RunAsync(["ls-tree", "-r", "--name-only", from], check: false);
            paths.AddRange(
                earlier
                    .StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Where(p => Path.GetFileName(p) is ShippedFile or UnshippedFile)
            );
        }

        var before = new Dictionary<string, string>(StringComparer.Ordinal);
        var after = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in paths.Distinct(StringComparer.Ordinal))
        {
            if (from is not null && await git.ReadFileAtAsync(from, path) is { } old)
                before[path] = old;
            if (await git.ReadFileAtAsync(to, path) is { } now)
                after[path] = now;
        }

        return from is null ? null : Markdown(Compare(before, after));
    }

    /// <summary>Per package (the baselines' folder name): the API lines added and removed between two sets of baseline
    /// files.</summary>
    public static IReadOnlyList<PackageApiChange> Compare(
        IReadOnlyDictionary<string, string> before,
        IReadOnlyDictionary<string, string> after
    )
    {
        var packages = before
            .Keys.Concat(after.Keys)
            .Select(PackageOf)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        var changes = new List<PackageApiChange>();
        foreach (var package in packages)
        {
            var old = Surface(before, package);
            var now = Surface(after, package);
            var added = now.Except(old).Order(StringComparer.Ordinal).ToList();
            var removed = old.Except(now).Order(StringComparer.Ordinal).ToList();
            if (added.Count > 0 || removed.Count > 0)
                changes.Add(new PackageApiChange(package, added, removed));
        }

        return changes;
    }

    public static string? Markdown(IReadOnlyList<PackageApiChange> changes)
    {
        if (changes.Count == 0)
            return null;
        var text = new StringBuilder("## Public API\n");
        var breaking = changes.Where(c => c.Removed.Count > 0).ToList();
        if (breaking.Count > 0)
        {
            text.Append("\n### Breaking\n");
            foreach (var change in breaking)
            {
                text.Append($"\n**{change.Package}**: removed\n");
                foreach (var line in change.Removed)
                    text.Append($"- `{line}`\n");
            }
        }

        var additions = changes.Where(c => c.Added.Count > 0).ToList();
        if (additions.Count > 0)
        {
            text.Append("\n### Added\n");
            foreach (var change in additions)
            {
                text.Append($"\n**{change.Package}**\n");
                foreach (var line in change.Added)
                    text.Append($"- `{line}`\n");
            }
        }

        return text.ToString();
    }

    private static string PackageOf(string path) =>
        Path.GetFileName(Path.GetDirectoryName(path.Replace('\\', '/'))) is { Length: > 0 } folder ? folder : "(root)";

    /// <summary>Shipped ∪ Unshipped of one package, less the lines Unshipped marks <c>*REMOVED*</c>.</summary>
    private static HashSet<string> Surface(IReadOnlyDictionary<string, string> files, string package)
    {
        var surface = new HashSet<string>(StringComparer.Ordinal);
        var removed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, text) in files.Where(f => PackageOf(f.Key) == package))
        {
            foreach (var raw in text.Split('\n'))
            {
                var line = raw.Trim();
                if (line.Length == 0 || line.StartsWith('#'))
                    continue;
                if (line.StartsWith(RemovedMarker, StringComparison.Ordinal))
                    removed.Add(line[RemovedMarker.Length..]);
                else
                    surface.Add(line);
            }
        }

        surface.ExceptWith(removed);
        return surface;
    }
}

/// <summary>One package's public API change between two releases.</summary>
internal sealed record PackageApiChange(string Package, IReadOnlyList<string> Added, IReadOnlyList<string> Removed);
