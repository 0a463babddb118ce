using System.Text.Json;

namespace Pipeline.Engine;

/// <summary>
/// The parts of the webhook payload GitHub writes to <c>GITHUB_EVENT_PATH</c> that decide what a run may do: for
/// <c>pull_request</c> and <c>pull_request_target</c> events, the pull request's number and its head repository
/// (<c>pull_request.head.repo.full_name</c>; null when the fork was deleted); and the commit this run's changes are
/// measured against (<see cref="ChangeBase"/>).
/// </summary>
/// <param name="ChangeBase">
/// A pull request's base (<c>pull_request.base.sha</c>), else the commit before a push (<c>before</c>; all zeros for a new
/// branch: none); null when the payload says neither or cannot be read.
/// </param>
internal sealed record GitHubEventPayload(GitHubEventPayload.PullRequestHead? PullRequest, string? Problem, string? ChangeBase = null)
{
    private static readonly string[] PullRequestEvents = ["pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment"];

    public static GitHubEventPayload Read(string? path, string eventName)
    {
        var isPullRequest = PullRequestEvents.Contains(eventName, StringComparer.Ordinal);
        if (string.IsNullOrEmpty(path)) return new(null, isPullRequest ? "GITHUB_EVENT_PATH is not set" : null);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("pull_request", out var pull) || pull.ValueKind != JsonValueKind.Object)
            {
                var before = root.ValueKind == JsonValueKind.Object ? Text(root, "before") : null;
                return new(null, isPullRequest ? $"GITHUB_EVENT_PATH ({path}) has no pull_request object for a {eventName} event" : null, before is not null && before.Any(c => c != '0') ? before : null);
            }

            int? number = pull.TryGetProperty("number", out var n) && n.TryGetInt32(out var value) ? value : null;
            var head = Text(Child(Child(pull, "head"), "repo"), "full_name");
            return new(new PullRequestHead(number, head), null, Text(Child(pull, "base"), "sha"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            // Not fatal: the run goes on as if from a fork (no write targets), and says why once.
            return new(null, isPullRequest ? $"GITHUB_EVENT_PATH ({path}) could not be read: {e.Message}" : null);
        }
    }

    private static JsonElement? Child(JsonElement? parent, string name)
        => parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var child) && child.ValueKind == JsonValueKind.Object ? child : null;

    private static string? Text(JsonElement? parent, string name)
        => parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null;

    public sealed record PullRequestHead(int? Number, string? HeadRepository);
}
