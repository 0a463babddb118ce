using System.Globalization;

namespace Pipeline.Git.CalVer;

/// <summary>
/// The NuGet package version of a commit, from the release identity the repository already has (docs/packages.md):
/// a CalVer tag <c>vYY.MM.DD.i</c> on the commit gives <c>YY.MM.DD.i</c> (<c>v26.12.05.1</c> → <c>26.12.5.1</c>: NuGet
/// drops the zero padding itself, so the version is written without it); any other commit gets a pre-release of the
/// release that would come next, <c>YY.MM.DD-ci.&lt;height&gt;.&lt;sha7&gt;</c>, which NuGet sorts below that release.
/// </summary>
/// <param name="Version">The package version.</param>
/// <param name="Tag">The CalVer tag the version comes from (the commit's own tag), or null for a pre-release.</param>
/// <param name="Height">Commits since the nearest CalVer tag reachable from the commit (all its history when there is
/// none); 0 for a release.</param>
/// <param name="Commit">The commit the version names.</param>
public sealed record CalVerPackageVersion(string Version, CalVerTag? Tag, int Height, string Commit)
{
    /// <summary>True when the version is a release (the commit carries a CalVer tag).</summary>
    public bool IsRelease => Tag is not null;

    /// <summary><c>v26.12.05.1</c> → <c>26.12.5.1</c>.</summary>
    public static string ForRelease(CalVerTag tag) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{tag.Date.Year % 100}.{tag.Date.Month}.{tag.Date.Day}.{tag.Index}"
        );

    /// <summary>
    /// The pre-release below <paramref name="next"/>, the release that would come next: <c>26.12.5-ci.3.1a2b3c4</c>
    /// when it is the first of its day (below <c>26.12.5.1</c>, above every earlier day's), and
    /// <c>26.12.5.2-ci.3.1a2b3c4</c> when that day already has release 1 (below <c>26.12.5.2</c>, above
    /// <c>26.12.5.1</c>).
    /// </summary>
    public static string ForPreRelease(CalVerTag next, int height, string commit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        if (commit.Length < 7 || !commit.All(Uri.IsHexDigit))
            throw new ArgumentException($"'{commit}' is not a commit id", nameof(commit));
        var sha = commit[..7].ToLowerInvariant();
        // SemVer forbids a numeric identifier with a leading zero ("0123456"): an all-digit abbreviation gets git
        // describe's 'g'.
        if (sha.All(char.IsAsciiDigit))
            sha = "g" + sha;
        var date = string.Create(
            CultureInfo.InvariantCulture,
            $"{next.Date.Year % 100}.{next.Date.Month}.{next.Date.Day}"
        );
        var index = next.Index == 1 ? "" : string.Create(CultureInfo.InvariantCulture, $".{next.Index}");
        return string.Create(CultureInfo.InvariantCulture, $"{date}{index}-ci.{height}.{sha}");
    }
}
