using System.Text.Json;

namespace Pipeline.Engine;

/// <summary>
/// The base commit in the event payload at <c>GITHUB_EVENT_PATH</c>: <c>pull_request.base.sha</c> for pull-request
/// events, else <c>before</c> for a push (all zeros for a new branch: none). Unreadable payloads are
/// <see cref="GitHubEventPayload"/>'s to report; here they only mean "no base".
/// </summary>
internal static class GitHubEventBase
{
    public static string? Read(string? path)
    {
        if (string.IsNullOrEmpty(path)) return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            if (root.TryGetProperty("pull_request", out var pull) && pull.ValueKind == JsonValueKind.Object)
                return pull.TryGetProperty("base", out var b) && b.ValueKind == JsonValueKind.Object && b.TryGetProperty("sha", out var sha) && sha.ValueKind == JsonValueKind.String ? sha.GetString() : null;
            return root.TryGetProperty("before", out var before) && before.ValueKind == JsonValueKind.String && before.GetString() is { } text && text.Any(c => c != '0') ? text : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }
}
