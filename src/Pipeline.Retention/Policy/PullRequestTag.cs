using System.Text.RegularExpressions;

namespace Pipeline.Retention;

/// <summary>Reads the pull request number out of ephemeral tags: <c>pr-42</c>, <c>pr-42-abc1234</c>,
/// <c>pr-42.3</c>.</summary>
internal static partial class PullRequestTag
{
    public static int? Parse(string tag)
    {
        var match = Pattern().Match(tag);
        return match.Success && int.TryParse(match.Groups[1].Value, out var number) ? number : null;
    }

    [GeneratedRegex(@"^pr-(\d{1,9})(?:$|[-.])")]
    private static partial Regex Pattern();
}
