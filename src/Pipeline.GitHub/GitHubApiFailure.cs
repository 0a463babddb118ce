using System.Globalization;
using Octokit;

namespace Pipeline.GitHub;

/// <summary>A GitHub API call failed; the message is one actionable line (never the token, never a response
/// dump).</summary>
public sealed class GitHubApiFailure(string message, int? statusCode, Exception? inner = null)
    : Exception(message, inner)
{
    public int? StatusCode { get; } = statusCode;

    /// <summary>Turns Octokit's exceptions into one line saying what was attempted, what GitHub said, and what to
    /// do.</summary>
    /// <param name="permission">The workflow permission the attempt needs, as a 403 names it (reading pull requests
    /// needs <c>pull-requests: read</c>).</param>
    public static GitHubApiFailure From(
        ApiException error,
        string attempted,
        GitHubRepositoryName repository,
        TimeProvider? clock = null,
        string permission = "contents: write"
    )
    {
        var status = (int)error.StatusCode;
        var said = string.IsNullOrWhiteSpace(error.ApiError?.Message)
            ? error.StatusCode.ToString()
            : error.ApiError.Message.Trim();
        var message = error switch
        {
            RateLimitExceededException limit =>
                $"GitHub API rate limit exhausted while {attempted} ({limit.Limit} requests/hour); it resets at "
                    + $"{limit.Reset.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC, "
                    + $"in {MinutesUntil(limit.Reset, clock ?? TimeProvider.System)} min",
            SecondaryRateLimitExceededException => $"GitHub's secondary rate limit stopped {attempted} "
                + $"({said}); retry in a minute or lower the request rate",
            AuthorizationException => $"GitHub rejected the token while {attempted} (401 "
                + $"{said}): check that GITHUB_TOKEN is set and not expired",
            ForbiddenException => $"GitHub refused {attempted} (403 {said}): the token needs "
                + $"'{permission}' permission on {repository} (workflow `permissions:`)",
            NotFoundException => $"GitHub answered 404 while {attempted}: repository "
                + $"{repository} does not exist or the token cannot see it",
            ApiValidationException validation => $"GitHub rejected {attempted} (422 {said}{Details(validation)})",
            _ => $"GitHub failed {attempted} ({status} {said})",
        };
        return new GitHubApiFailure(message, status, error);
    }

    private static int MinutesUntil(DateTimeOffset reset, TimeProvider clock) =>
        Math.Max(0, (int)Math.Ceiling((reset - clock.GetUtcNow()).TotalMinutes));

    internal static bool IsAlreadyExists(ApiValidationException error) =>
        error.ApiError?.Errors?.Any(e => string.Equals(e.Code, "already_exists", StringComparison.OrdinalIgnoreCase))
        == true;

    private static string Details(ApiValidationException error)
    {
        var codes = error
            .ApiError?.Errors?.Select(e =>
                string.Join(' ', new[] { e.Resource, e.Field, e.Code }.Where(s => !string.IsNullOrEmpty(s)))
            )
            .ToList();
        return codes is { Count: > 0 } ? ": " + string.Join("; ", codes) : "";
    }
}
