using System.Globalization;
using System.Text.RegularExpressions;
using Pipeline.Containers.Images;

namespace Pipeline.Containers.Tags;

/// <summary>
/// The one place that decides image tags, in the spirit of docker/metadata-action: a pure function of the event,
/// branch, pull request, commit and CalVer tag. Every tag it returns is valid under the OCI tag grammar.
/// <list type="bullet">
/// <item>pull request N: <c>pr-N</c>, <c>pr-N-&lt;sha7&gt;</c></item>
/// <item>branch B: <c>B</c>, <c>B-&lt;sha7&gt;</c> (B made tag-safe); plus <c>latest</c> on the main branch and
/// <c>staging-&lt;sha7&gt;</c> on the staging branch</item>
/// <item>release: <c>vYY.MM.DD.i</c></item>
/// </list>
/// </summary>
public static partial class TagPolicy
{
    public const int ShortShaLength = 7;

    public static IReadOnlyList<string> Compute(TagPolicyInput input, TagPolicyOptions? options = null)
    {
        options ??= new TagPolicyOptions();
        var sha7 = ShortSha(input.Sha);
        var tags = new List<string>();

        switch (input.Event)
        {
            case TagEvent.PullRequest:
                if (input.PullRequestNumber is not > 0)
                {
                    throw new InvalidImageReferenceException(
                        $"pull request number: "
                            + $"'{input.PullRequestNumber?.ToString(CultureInfo.InvariantCulture) ?? "(none)"}' is "
                            + $"not a positive number; a pull-request build needs it for its pr-N tag"
                    );
                }

                tags.Add($"pr-{input.PullRequestNumber}");
                tags.Add($"pr-{input.PullRequestNumber}-{sha7}");
                break;

            case TagEvent.Branch:
                var branch = BranchSlug(input.Branch);
                tags.Add(branch);
                tags.Add($"{branch}-{sha7}");
                if (string.Equals(input.Branch, options.MainBranch, StringComparison.Ordinal))
                    tags.Add("latest");
                if (
                    options.StagingBranch is not null
                    && string.Equals(input.Branch, options.StagingBranch, StringComparison.Ordinal)
                )
                    tags.Add($"staging-{sha7}");
                break;

            case TagEvent.Release:
                ValidateCalVer(input.CalVer);
                tags.Add(input.CalVer!);
                break;

            default:
                throw new ArgumentOutOfRangeException(nameof(input), input.Event, "unknown tag event");
        }

        var distinct = tags.Distinct(StringComparer.Ordinal).ToList();
        foreach (var tag in distinct)
            ImageNames.ValidateTag(tag, "computed tag");
        return distinct;
    }

    /// <summary>The first 7 hex digits of a commit id, lowercased; throws when it is not a commit id.</summary>
    public static string ShortSha(string? sha)
    {
        if (sha is null || !ShaPattern().IsMatch(sha))
        {
            throw new InvalidImageReferenceException($"commit sha: '{sha}' is not a commit id (7 to 64 hex digits)");
        }

        return sha[..ShortShaLength].ToLowerInvariant();
    }

    /// <summary>Makes a branch name tag-safe like metadata-action: runs of other characters become '-', no leading
    /// '.'/'-', short enough for a <c>-sha7</c> suffix.</summary>
    public static string BranchSlug(string? branch)
    {
        if (string.IsNullOrWhiteSpace(branch))
            throw new InvalidImageReferenceException("branch: a branch build needs a branch name, and none was given");
        var name = branch.StartsWith("refs/heads/", StringComparison.Ordinal) ? branch["refs/heads/".Length..] : branch;
        var slug = UnsafeRun().Replace(name, "-").TrimStart('.', '-');
        var max = ImageNames.MaxTagLength - 1 - ShortShaLength;
        if (slug.Length > max)
            slug = slug[..max].TrimEnd('.', '-');
        if (slug.Length == 0)
            throw new InvalidImageReferenceException($"branch: '{branch}' has no characters usable in an image tag");
        return slug;
    }

    /// <summary>Throws unless <paramref name="calVer"/> is <c>vYY.MM.DD.i</c> with a real date and i ≥ 1.</summary>
    public static void ValidateCalVer(string? calVer)
    {
        var match = calVer is null ? Match.Empty : CalVerPattern().Match(calVer);
        if (!match.Success)
        {
            throw new InvalidImageReferenceException(
                $"release tag: '{calVer ?? "(none)"}' is not a CalVer tag vYY.MM.DD.i (e.g. v26.11.22.1)"
            );
        }

        var year = 2000 + int.Parse(match.Groups["y"].Value, CultureInfo.InvariantCulture);
        var month = int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture);
        var day = int.Parse(match.Groups["d"].Value, CultureInfo.InvariantCulture);
        var index = int.Parse(match.Groups["i"].Value, CultureInfo.InvariantCulture);
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || index < 1)
        {
            throw new InvalidImageReferenceException(
                $"release tag: '{calVer}' is not a real date and counter (vYY.MM.DD.i with i ≥ 1)"
            );
        }
    }

    [GeneratedRegex("^[0-9a-fA-F]{7,64}$")]
    private static partial Regex ShaPattern();

    [GeneratedRegex("[^A-Za-z0-9._-]+")]
    private static partial Regex UnsafeRun();

    [GeneratedRegex(@"^v(?<y>\d{2})\.(?<m>\d{2})\.(?<d>\d{2})\.(?<i>\d{1,4})$")]
    private static partial Regex CalVerPattern();
}
