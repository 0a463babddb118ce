using System.Text.Json;
using System.Text.RegularExpressions;
using Pipeline.Testing;

namespace Pipeline.Retention.Tests.Fixtures;

/// <summary>
/// A local stand-in for the GitHub REST API (GitHub itself cannot be reached from tests). It follows GitHub's
/// documented shapes for "List package versions for a package owned by an organization/user" (paged with
/// <c>per_page</c>/<c>page</c> and a <c>Link</c> header), "Delete package version" (204) and "Get a pull request"
/// (<c>state</c>: open/closed). Deleting a version also deletes its manifest from the backing registry, as GHCR does,
/// so skopeo can check the outcome.
/// </summary>
public sealed partial class FakeGitHubApi : IDisposable
{
    private readonly LoopbackServer _server;
    private readonly List<Version> _versions = [];
    private readonly Func<string, Task>? _deleteManifest;
    private int _nextId = 1000;

    public FakeGitHubApi(string token, Func<string, Task>? deleteManifest = null)
    {
        _deleteManifest = deleteManifest;
        Token = token;
        _server = new LoopbackServer(HandleAsync);
    }

    public string Token { get; }

    public Uri BaseUri => _server.BaseUri;

    public Dictionary<int, string> PullRequests { get; } = new();

    /// <summary>Version ids whose deletion answers 500, to test partial failure.</summary>
    public HashSet<int> FailingDeletes { get; } = [];

    public IReadOnlyList<string> Requests => _server.Requests;

    public IReadOnlyList<int> Deleted { get; private set; } = [];

    public int Add(string digest, DateTimeOffset created, params string[] tags)
    {
        lock (_versions)
        {
            var id = _nextId++;
            _versions.Add(new Version(id, digest, created, tags));
            return id;
        }
    }

    public int IdOf(string digest)
    {
        lock (_versions)
            return _versions.Single(v => v.Digest == digest).Id;
    }

    public void Dispose() => _server.Dispose();

    private async Task<StandInAnswer> HandleAsync(StandInRequest request)
    {
        var auth = request.Headers["Authorization"];
        if (!string.Equals(auth, $"token {Token}", StringComparison.OrdinalIgnoreCase) && auth != $"Bearer {Token}")
        {
            return LoopbackServer.Json(
                401,
                """{"message":"Requires authentication","documentation_url":"https://docs.github.com/rest"}"""
            );
        }

        // Octokit addresses a non-github.com host as GitHub Enterprise Server: /api/v3/...
        var path = request.Url!.AbsolutePath;
        if (path.StartsWith("/api/v3", StringComparison.Ordinal))
            path = path["/api/v3".Length..];

        if (VersionsPath().Match(path) is { Success: true } list && request.HttpMethod == "GET")
        {
            // GitHub caps per_page at 100; this server caps it at 5 so that every test walks several pages.
            var perPage = Math.Min(5, int.TryParse(request.QueryString["per_page"], out var pp) ? pp : 30);
            var page = int.TryParse(request.QueryString["page"], out var p) ? p : 1;
            List<Version> all;
            lock (_versions)
                all = _versions.Where(v => !Deleted.Contains(v.Id)).OrderByDescending(v => v.Created).ToList();
            var slice = all.Skip((page - 1) * perPage)
                .Take(perPage)
                .Select(v => Json(v, list.Groups["owner"].Value, list.Groups["name"].Value));
            var headers = new Dictionary<string, string>();
            if (page * perPage < all.Count)
            {
                var next = new UriBuilder(request.Url) { Query = $"per_page={perPage}&page={page + 1}" };
                headers["Link"] = $"<{next.Uri}>; rel=\"next\"";
            }

            return LoopbackServer.Json(200, JsonSerializer.Serialize(slice), headers);
        }

        if (VersionPath().Match(path) is { Success: true } one && request.HttpMethod == "DELETE")
        {
            var id = int.Parse(one.Groups["id"].Value);
            Version? version;
            lock (_versions)
                version = _versions.SingleOrDefault(v => v.Id == id && !Deleted.Contains(v.Id));
            if (version is null)
            {
                return LoopbackServer.Json(404, """{"message":"Not Found"}""");
            }
            else if (FailingDeletes.Contains(id))
            {
                return LoopbackServer.Json(500, """{"message":"Server Error"}""");
            }
            else
            {
                if (_deleteManifest is not null)
                    await _deleteManifest(version.Digest);
                lock (_versions)
                    Deleted = [.. Deleted, id];
                return LoopbackServer.Json(204, null);
            }
        }

        if (PullPath().Match(path) is { Success: true } pull && request.HttpMethod == "GET")
        {
            var number = int.Parse(pull.Groups["number"].Value);
            if (!PullRequests.TryGetValue(number, out var state))
            {
                return LoopbackServer.Json(404, """{"message":"Not Found"}""");
            }

            return LoopbackServer.Json(
                200,
                JsonSerializer.Serialize(
                    new Dictionary<string, object?>
                    {
                        ["id"] = number * 10,
                        ["number"] = number,
                        ["state"] = state,
                        ["title"] = $"PR {number}",
                        ["url"] = $"{BaseUri}repos/acme/app/pulls/{number}",
                        ["html_url"] = $"https://github.com/acme/app/pull/{number}",
                        ["merged"] = state == "closed",
                        ["closed_at"] = state == "closed" ? "2026-11-20T10:00:00Z" : null,
                        ["created_at"] = "2026-11-01T10:00:00Z",
                        ["updated_at"] = "2026-11-20T10:00:00Z",
                    }
                )
            );
        }

        return LoopbackServer.Json(404, $$"""{"message":"Not Found: {{request.HttpMethod}} {{path}}"}""");
    }

    private Dictionary<string, object> Json(Version v, string owner, string name) =>
        new()
        {
            ["id"] = v.Id,
            ["name"] = v.Digest,
            ["url"] = $"{BaseUri}orgs/{owner}/packages/container/{name}/versions/{v.Id}",
            ["package_html_url"] = $"https://github.com/orgs/{owner}/packages/container/package/{name}",
            ["created_at"] = v.Created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["updated_at"] = v.Created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["html_url"] = $"https://github.com/orgs/{owner}/packages/container/{name}/{v.Id}",
            ["metadata"] = new Dictionary<string, object>
            {
                ["package_type"] = "container",
                ["container"] = new Dictionary<string, object> { ["tags"] = v.Tags },
            },
        };

    [GeneratedRegex("^/(?:orgs|users)/(?<owner>[^/]+)/packages/container/(?<name>[^/]+)/versions$")]
    private static partial Regex VersionsPath();

    [GeneratedRegex("^/(?:orgs|users)/(?<owner>[^/]+)/packages/container/(?<name>[^/]+)/versions/(?<id>\\d+)$")]
    private static partial Regex VersionPath();

    [GeneratedRegex("^/repos/(?<owner>[^/]+)/(?<repo>[^/]+)/pulls/(?<number>\\d+)$")]
    private static partial Regex PullPath();

    private sealed record Version(int Id, string Digest, DateTimeOffset Created, string[] Tags);
}
