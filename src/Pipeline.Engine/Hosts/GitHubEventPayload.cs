using System.Text.Json;

namespace Pipeline.Engine;

/// <summary>
/// The parts of the webhook payload GitHub writes to <c>GITHUB_EVENT_PATH</c> that decide what a run may do: for
/// <c>pull_request</c> and <c>pull_request_target</c> events, the pull request's number and its head repository
/// (<c>pull_request.head.repo.full_name</c>; null when the fork was deleted).
/// </summary>
internal sealed record GitHubEventPayload(GitHubEventPayload.PullRequestHead? PullRequest, string? Problem)
{
    private static readonly string[] PullRequestEvents = ["pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment"];

    public static GitHubEventPayload Read(string? path, string eventName)
    {
        var isPullRequest = PullRequestEvents.Contains(eventName, StringComparer.Ordinal);
        if (string.IsNullOrEmpty(path)) return new(null, isPullRequest ? "GITHUB_EVENT_PATH is not set" : null);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("pull_request", out var pull) || pull.ValueKind != JsonValueKind.Object)
            {
                return new(null, isPullRequest ? $"GITHUB_EVENT_PATH ({path}) has no pull_request object for a {eventName} event" : null);
            }

            int? number = pull.TryGetProperty("number", out var n) && n.TryGetInt32(out var value) ? value : null;
            string? head = pull.TryGetProperty("head", out var h) && h.ValueKind == JsonValueKind.Object
                && h.TryGetProperty("repo", out var repo) && repo.ValueKind == JsonValueKind.Object
                && repo.TryGetProperty("full_name", out var name) && name.ValueKind == JsonValueKind.String
                    ? name.GetString()
                    : null;
            return new(new PullRequestHead(number, head), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            // Not fatal: the run goes on as if from a fork (no write targets), and says why once.
            return new(null, isPullRequest ? $"GITHUB_EVENT_PATH ({path}) could not be read: {e.Message}" : null);
        }
    }

    public sealed record PullRequestHead(int? Number, string? HeadRepository);
}
