using Microsoft.Extensions.FileSystemGlobbing;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Engine.Paths;
using Pipeline.GitHub.Releases;

namespace Pipeline.Components.Release;

/// <summary>
/// Files to attach: what the asset targets declare with <c>.Produces</c> and wrote in THIS run (a file older than the
/// run is an earlier run's and is never attached), plus the <c>--release-assets</c> globs; never the release folder
/// itself. Asked-for assets are required: a glob that matches nothing, or an asset target that ran and left none of its
/// products, refuses the release before anything is published. Names are file names; a clash gets the relative path
/// with '/' turned into '-'.
/// </summary>
internal static class ReleaseAssetCollector
{
    public static IReadOnlyList<ReleaseAssetFile> Collect(
        AbsolutePath root,
        IEnumerable<(string Target, string Pattern)> products,
        IEnumerable<string> globs,
        DateTimeOffset runStarted,
        Func<string, bool> ranInThisRun
    )
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        var missing = new List<string>();
        var stale = 0;
        // File times come from the kernel's coarse clock (a few ms behind): a second of slack, far below any gap
        // between runs.
        var since = runStarted.UtcDateTime - TimeSpan.FromSeconds(1);
        // Required per target, not per pattern: a product may be optional (Pack's .snupkg when a project ships no
        // symbols).
        foreach (var target in products.Distinct().GroupBy(p => p.Target, p => p.Pattern))
        {
            var left = 0;
            foreach (var pattern in target)
            {
                var all = Match(root, pattern);
                var fresh = all.Where(f => File.GetLastWriteTimeUtc(f) >= since).ToList();
                stale += all.Count - fresh.Count;
                left += fresh.Count;
                files.UnionWith(fresh);
            }

            if (left == 0 && ranInThisRun(target.Key))
                missing.Add($"{target.Key} ran but left no {string.Join(" or ", target)}");
        }

        foreach (var glob in globs.Where(p => !string.IsNullOrWhiteSpace(p)).Distinct(StringComparer.Ordinal))
        {
            var matched = Match(root, glob);
            if (matched.Count == 0)
                missing.Add($"--release-assets '{glob}' matches no file");
            files.UnionWith(matched);
        }

        if (missing.Count > 0)
        {
            throw new BuildFailure(
                $"Release: refusing to publish without the assets asked for ({string.Join("; ", missing)}); nothing "
                    + $"was published"
            );
        }

        if (stale > 0)
            Log.Info(
                $"Release: {stale} file(s) matching the asset targets' products are from an earlier run and are not "
                    + $"attached"
            );
        var releases = Path.GetFullPath(root / "artifacts" / "releases") + Path.DirectorySeparatorChar;
        var candidates = files.Where(f => !f.StartsWith(releases, StringComparison.Ordinal)).ToList();
        var clashing = candidates
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > 1)
            .Select(g => g.Key!)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return candidates
            .Select(f => new ReleaseAssetFile(
                clashing.Contains(Path.GetFileName(f))
                    ? Path.GetRelativePath(root, f).Replace('\\', '/').Replace('/', '-')
                    : Path.GetFileName(f),
                f
            ))
            .ToList();
    }

    private static List<string> Match(AbsolutePath root, string pattern)
    {
        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(pattern.Replace('\\', '/').TrimStart('/'));
        return matcher.GetResultsInFullPath(root).Select(Path.GetFullPath).ToList();
    }
}
