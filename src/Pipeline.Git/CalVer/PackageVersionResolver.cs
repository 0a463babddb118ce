using System.Globalization;

namespace Pipeline.Git.CalVer;

/// <summary>
/// Works out <see cref="CalVerPackageVersion"/> for HEAD from the repository's tags and history; it reads, never
/// writes. The pre-release's day is the later of HEAD's commit day and the nearest tag's day, not today: the same
/// commit and tags give the same version on every machine and every day, which reproducible packages need.
/// </summary>
public sealed class PackageVersionResolver(GitRepository repository)
{
    /// <param name="prefix">The tag prefix of a part released on its own (<see cref="CalVerTagOptions.Prefix"/>); empty
    /// for <c>vYY.MM.DD.i</c>.</param>
    /// <param name="zone">The time zone of the CalVer date (UTC by default).</param>
    public async Task<CalVerPackageVersion> ResolveAsync(
        string prefix = "",
        TimeZoneInfo? zone = null,
        CancellationToken cancellationToken = default
    )
    {
        zone ??= TimeZoneInfo.Utc;
        var head = await repository.HeadCommitAsync();
        var tags = Unprefixed(
            await repository.ListLocalTagsAsync(prefix + CalVerTag.RefGlob, cancellationToken),
            prefix
        );
        var onHead = tags.Where(t => t.Value.CommitId == head).Select(t => t.Key).ToList();
        if (onHead.Count > 0)
            return new CalVerPackageVersion(CalVerPackageVersion.ForRelease(onHead.Max()), onHead.Max(), 0, head);

        var (nearest, height) = await NearestTagAsync(prefix, cancellationToken);
        var committed = DateTimeOffset.Parse(
            await repository.Cli.ReadAsync("show", "-s", "--format=%cI", head),
            CultureInfo.InvariantCulture
        );
        var day = ReleaseCalendar.Today(committed, zone);
        if (nearest is { } tag && tag.Date > day)
            day = tag.Date;
        var next = CalVerSequence.Next(tags.Keys.Select(t => t.ToString()), day);
        return new CalVerPackageVersion(CalVerPackageVersion.ForPreRelease(next, height, head), null, height, head);
    }

    /// <summary>The nearest CalVer tag reachable from HEAD (git describe) and the commits since it; all of HEAD's
    /// history when none is.</summary>
    private async Task<(CalVerTag? Tag, int Height)> NearestTagAsync(string prefix, CancellationToken cancellationToken)
    {
        var described = await repository.Cli.RunAsync(
            [
                "describe",
                "--tags",
                "--long",
                "--abbrev=7",
                "--match",
                prefix + "v[0-9][0-9].[0-9][0-9].[0-9][0-9].[1-9]*",
                "HEAD",
            ],
            check: false,
            cancellationToken
        );
        if (described.Succeeded)
        {
            // <prefix>v26.12.05.1-3-g1a2b3c4: the tag, the height, the abbreviated commit.
            var text = described.StandardOutput.Trim();
            var parts = text[prefix.Length..].Split('-');
            if (
                parts.Length == 3
                && CalVerTag.TryParse(parts[0], out var tag)
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var height)
            )
            {
                return (tag, height);
            }
        }

        var count = await repository.Cli.ReadAsync("rev-list", "--count", "HEAD");
        return (null, int.Parse(count, CultureInfo.InvariantCulture));
    }

    private static Dictionary<CalVerTag, Refs.TagRef> Unprefixed(Dictionary<string, Refs.TagRef> tags, string prefix)
    {
        var result = new Dictionary<CalVerTag, Refs.TagRef>();
        foreach (var (name, tag) in tags)
        {
            if (
                name.StartsWith(prefix, StringComparison.Ordinal)
                && CalVerTag.TryParse(name[prefix.Length..], out var calver)
            )
                result[calver] = tag;
        }

        return result;
    }
}
