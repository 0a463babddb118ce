using System.Text.Json;

namespace Pipeline.Engine.Hosts;

/// <summary>
/// The parts of the webhook payload GitHub writes to <c>GITHUB_EVENT_PATH</c> that decide what a run may do: for
/// <c>pull_request</c> and <c>pull_request_target</c> events, the pull request's number and its head repository
/// (<c>pull_request.head.repo.full_name</c>; null when the fork was deleted); and the commit this run's changes are
/// measured against (<see cref="ChangeBase"/>).
/// </summary>
/// <param name="ChangeBase">
/// A pull request's base (<c>pull_request.base.sha</c>), else the commit before a push (<c>before</c>; all zeros for a
/// new branch: none); null when the payload says neither or cannot be read.
/// </param>
/// <param name="ShapeError">
/// A field this reader uses has the wrong JSON type (<c>"pull_request": 5</c>, <c>"number": "12"</c>): the file is not
/// what GitHub writes, and the build stops with this one line instead of guessing.
/// </param>
internal sealed record GitHubEventPayload(
    GitHubEventPayload.PullRequestHead? PullRequest,
    string? Problem,
    string? ChangeBase = null,
    string? ShapeError = null
)
{
    private static readonly string[] PullRequestEvents =
    [
        "pull_request",
        "pull_request_target",
        "pull_request_review",
        "pull_request_review_comment",
    ];

    public static GitHubEventPayload Read(string? path, string eventName)
    {
        var isPullRequest = PullRequestEvents.Contains(eventName, StringComparer.Ordinal);
        if (string.IsNullOrEmpty(path))
            return new(null, isPullRequest ? "GITHUB_EVENT_PATH is not set" : null);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            // Not fatal: the run goes on as if from a fork (no write targets), and says why once.
            return new(null, isPullRequest ? $"GITHUB_EVENT_PATH ({path}) could not be read: {e.Message}" : null);
        }

        using (document)
        {
            var shape = new JsonShape($"GITHUB_EVENT_PATH ({path})");
            var root = shape.Object(document.RootElement, "the payload");
            var pull = shape.Object(root, "pull_request");
            var number = shape.Number(pull, "pull_request.number");
            var head = shape.Object(shape.Object(pull, "pull_request.head"), "pull_request.head.repo");
            var headName = shape.String(head, "pull_request.head.repo.full_name");
            var baseSha = shape.String(shape.Object(pull, "pull_request.base"), "pull_request.base.sha");
            var before = shape.String(root, "before");
            if (shape.Error is { } error)
                return new(null, null, null, error);
            if (pull is null)
            {
                return new(
                    null,
                    isPullRequest
                        ? $"GITHUB_EVENT_PATH ({path}) has no pull_request object for a {eventName} event"
                        : null,
                    before is not null && before.Any(c => c != '0') ? before : null
                );
            }

            return new(new PullRequestHead(number, headName), null, baseSha);
        }
    }

    public sealed record PullRequestHead(int? Number, string? HeadRepository);
}
