using System.Text.RegularExpressions;

namespace Pipeline.GitHub;

/// <summary><c>owner/name</c> as GitHub spells it (<c>GITHUB_REPOSITORY</c>), validated once so API paths never carry
/// junk.</summary>
public sealed partial record GitHubRepositoryName(string Owner, string Name)
{
    [GeneratedRegex(@"^(?<owner>[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/(?<name>[A-Za-z0-9._-]{1,100})$")]
    private static partial Regex Pattern();

    public static GitHubRepositoryName Parse(string? text, string source = "repository")
    {
        var match = Pattern().Match(text?.Trim() ?? "");
        if (!match.Success || match.Groups["name"].Value is "." or "..")
        {
            throw new FormatException(
                $"{source}: '{text}' is not a GitHub repository (expected owner/name, e.g. octo-org/service)"
            );
        }

        return new GitHubRepositoryName(match.Groups["owner"].Value, match.Groups["name"].Value);
    }

    /// <summary>Reads <c>owner/name</c> from a GitHub remote URL (https or ssh); null for anything else.</summary>
    public static GitHubRepositoryName? FromRemoteUrl(string? url)
    {
        var match = RemoteUrl().Match(url ?? "");
        return match.Success ? new GitHubRepositoryName(match.Groups["owner"].Value, match.Groups["name"].Value) : null;
    }

    [GeneratedRegex(@"github\.com[:/](?<owner>[A-Za-z0-9-]+)/(?<name>[A-Za-z0-9._-]+?)(?:\.git)?/?$")]
    private static partial Regex RemoteUrl();

    public override string ToString() => $"{Owner}/{Name}";
}
