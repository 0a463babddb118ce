namespace Pipeline.GitHub;

/// <summary>
/// The <c>--github-api-url</c> / <c>GITHUB_API_URL</c> value as Octokit wants it. On GitHub Enterprise the variable
/// reads <c>https://HOST/api/v3</c>, and Octokit wants <c>https://HOST/</c> (it appends <c>api/v3/</c> itself).
/// </summary>
public static class GitHubApiAddress
{
    /// <summary>Null for "not set" (api.github.com); a <see cref="FormatException"/> naming <paramref name="source"/>
    /// for anything not http(s).</summary>
    public static Uri? Parse(string? text, string source)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var trimmed = text.Trim();
        if (
            trimmed.Contains(' ', StringComparison.Ordinal)
            || !Uri.TryCreate(trimmed.TrimEnd('/') + "/", UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https")
            || uri.Host.Length == 0
            || uri.Query.Length > 0
            || uri.Fragment.Length > 0
        )
        {
            throw new FormatException(
                $"{source}: '{text}' is not an http(s) address of a GitHub API "
                    + $"(e.g. https://api.github.com or https://github.example.com/api/v3)"
            );
        }

        var address = uri.ToString();
        return address.EndsWith("/api/v3/", StringComparison.OrdinalIgnoreCase)
            ? new Uri(address[..^"api/v3/".Length])
            : uri;
    }
}
