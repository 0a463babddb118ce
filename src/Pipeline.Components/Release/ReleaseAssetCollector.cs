using Microsoft.Extensions.FileSystemGlobbing;
using Pipeline.Engine;
using Pipeline.GitHub.Releases;

namespace Pipeline.Components.Release;

/// <summary>
/// Files to attach: what targets declare with <c>.Produces</c> plus the <c>--release-assets</c> globs, existing files only,
/// never the release folder itself. Names are file names; a clash gets the relative path with '/' turned into '-'.
/// </summary>
internal static class ReleaseAssetCollector
{
    public static IReadOnlyList<ReleaseAssetFile> Collect(AbsolutePath root, IEnumerable<string> patterns)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var pattern in patterns.Where(p => !string.IsNullOrWhiteSpace(p)).Distinct(StringComparer.Ordinal))
        {
            var matcher = new Matcher(StringComparison.Ordinal);
            matcher.AddInclude(pattern.Replace('\\', '/').TrimStart('/'));
            foreach (var file in matcher.GetResultsInFullPath(root)) files.Add(Path.GetFullPath(file));
        }

        var releases = Path.GetFullPath(root / "artifacts" / "releases") + Path.DirectorySeparatorChar;
        var candidates = files.Where(f => !f.StartsWith(releases, StringComparison.Ordinal)).ToList();
        var clashing = candidates.GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return candidates
            .Select(f => new ReleaseAssetFile(clashing.Contains(Path.GetFileName(f)) ? Path.GetRelativePath(root, f).Replace('\\', '/').Replace('/', '-') : Path.GetFileName(f), f))
            .ToList();
    }
}
