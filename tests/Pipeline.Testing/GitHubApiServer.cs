using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Pipeline.Testing;

/// <summary>
/// A stand-in for GitHub's REST API on loopback, because GitHub itself cannot be reached from tests. It follows the
/// documented shapes (docs.github.com/rest/releases) for what the release flow uses:
/// list releases (drafts included, paged with Link headers), get release by tag (published only), create/update,
/// list/get/delete assets (a download redirects to the asset's bytes on another host), and asset upload on a SEPARATE
/// uploads host that releases advertise through <c>upload_url</c>; plus get pull request, create deployment and
/// deployment status (GitHubApiServer.Deployments.cs), and the documented errors: 401 Bad credentials, 403 rate limit
/// with X-RateLimit-* headers, 404, 422 Validation Failed (already_exists). Every request is recorded so tests can
/// assert what was sent. Served like GitHub Enterprise: Octokit talks to <c>{BaseAddress}api/v3/</c>. Both hosts are
/// <see cref="LoopbackHttpStandIn"/>s, each answering one request at a time.
/// </summary>
public sealed partial class GitHubApiServer : IDisposable
{
    private readonly LoopbackHttpStandIn _api;
    private readonly LoopbackHttpStandIn _uploads;
    private readonly Lock _gate = new();
    private readonly ConcurrentQueue<GitHubApiRequest> _requests = new();
    private readonly List<GitHubApiRelease> _releases = [];
    private readonly Dictionary<(string Repo, int Number), JsonObject> _pulls = [];
    private readonly Queue<GitHubApiFault> _faults = new();
    private long _nextId = 1000;

    public GitHubApiServer(string token = "gh-test-token")
    {
        Token = token;
        _api = LoopbackHttpStandIn.Serve(request => Handle(request, uploads: false));
        _uploads = LoopbackHttpStandIn.Serve(request => Handle(request, uploads: true));
        BaseAddress = new Uri(_api.BaseUrl + "/");
        UploadsAddress = new Uri(_uploads.BaseUrl + "/");
    }

    /// <summary>The token requests must carry; anything else gets 401 Bad credentials.</summary>
    public string Token { get; }

    /// <summary>Give this to Octokit as the Enterprise base address.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The uploads host (a different port), reachable only through each release's <c>upload_url</c>.</summary>
    public Uri UploadsAddress { get; }

    /// <summary>Like a repository with immutable releases: once published, assets cannot be added or deleted.</summary>
    public bool ImmutableReleases { get; set; }

    /// <summary>Page size used when a client does not ask for one (GitHub's default is 30).</summary>
    public int DefaultPageSize { get; set; } = 30;

    public IReadOnlyList<GitHubApiRequest> Requests => _requests.ToArray();

    public IReadOnlyList<GitHubApiRelease> Releases
    {
        get
        {
            lock (_gate)
                return _releases.ToList();
        }
    }

    /// <summary>Called with each request before it is served: lets a test change state mid-flow (e.g. a rival run
    /// uploading).</summary>
    public Action<GitHubApiRequest>? OnRequest { get; set; }

    public void AddAsset(GitHubApiRelease release, string name, string content)
    {
        lock (_gate)
            release.Assets.Add(new GitHubApiAsset(_nextId++, name, "text/plain", Encoding.UTF8.GetBytes(content)));
    }

    /// <summary>The next request(s) fail this way, whatever they are.</summary>
    public void FailNext(GitHubApiFault fault, int times = 1)
    {
        lock (_gate)
        {
            for (var i = 0; i < times; i++)
                _faults.Enqueue(fault);
        }
    }

    public void AddPullRequest(string repository, int number, string title, string author, params string[] labels)
    {
        lock (_gate)
        {
            _pulls[(repository, number)] = new JsonObject
            {
                ["id"] = 5_000_000 + number,
                ["node_id"] = $"PR_{number}",
                ["number"] = number,
                ["state"] = "closed",
                ["title"] = title,
                ["body"] = "",
                ["merged"] = true,
                ["locked"] = false,
                ["draft"] = false,
                ["url"] = Api($"repos/{repository}/pulls/{number}"),
                ["html_url"] = $"https://github.example/{repository}/pull/{number}",
                ["user"] = User(author),
                ["labels"] = new JsonArray(
                    labels
                        .Select(
                            (l, i) =>
                                (JsonNode)
                                    new JsonObject
                                    {
                                        ["id"] = i + 1,
                                        ["node_id"] = $"L{i}",
                                        ["name"] = l,
                                        ["color"] = "ededed",
                                        ["default"] = false,
                                        ["url"] = Api($"repos/{repository}/labels/{l}"),
                                    }
                        )
                        .ToArray()
                ),
                ["head"] = new JsonObject
                {
                    ["ref"] = "feature",
                    ["label"] = "feature",
                    ["sha"] = new string('a', 40),
                },
                ["base"] = new JsonObject
                {
                    ["ref"] = "main",
                    ["label"] = "main",
                    ["sha"] = new string('b', 40),
                },
                ["created_at"] = "2026-11-01T10:00:00Z",
                ["updated_at"] = "2026-11-02T10:00:00Z",
                ["merged_at"] = "2026-11-02T10:00:00Z",
                ["closed_at"] = "2026-11-02T10:00:00Z",
            };
        }
    }

    /// <summary>Puts a release in place as if an earlier run (or a person) had created it.</summary>
    public GitHubApiRelease SeedRelease(
        string repository,
        string tag,
        bool draft,
        params (string Name, string Content)[] assets
    )
    {
        lock (_gate)
        {
            var release = new GitHubApiRelease(_nextId++, repository, tag)
            {
                Name = tag,
                Draft = draft,
                Body = "seeded",
            };
            foreach (var (name, content) in assets)
                release.Assets.Add(new GitHubApiAsset(_nextId++, name, "text/plain", Encoding.UTF8.GetBytes(content)));
            _releases.Add(release);
            return release;
        }
    }

    public void Dispose()
    {
        _api.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _uploads.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private StandInAnswer Handle(StandInRequest request, bool uploads)
    {
        try
        {
            return Route(request, uploads);
        }
        catch (Exception e)
        {
            return Send(500, new JsonObject { ["message"] = "fake server error: " + e.Message });
        }
    }

    private StandInAnswer Route(StandInRequest request, bool uploads)
    {
        var body = request.Body;
        var path = request.Url!.AbsolutePath;
        var headers = request
            .Headers.AllKeys.OfType<string>()
            .ToDictionary(k => k, k => request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase);
        var recorded = new GitHubApiRequest(
            request.HttpMethod,
            uploads ? "uploads" : "api",
            path,
            request.Url.Query,
            headers,
            body
        );
        _requests.Enqueue(recorded);
        OnRequest?.Invoke(recorded);

        GitHubApiFault? fault = null;
        lock (_gate)
        {
            if (_faults.Count > 0)
                fault = _faults.Dequeue();
        }

        if (uploads && fault is null && Download().Match(path) is { Success: true } download)
        {
            // The redirect target of an asset download: a signed URL on another host, no Authorization needed.
            return Download(long.Parse(download.Groups["id"].Value, CultureInfo.InvariantCulture));
        }

        if (fault is not null || !Authorized(headers))
            return SendFault(fault ?? GitHubApiFault.BadCredentials);

        var route = uploads ? UploadRoute().Match(path) : ApiRoute().Match(path);
        if (!route.Success)
            return NotFound("https://docs.github.com/rest");

        var repo = $"{route.Groups["owner"].Value}/{route.Groups["repo"].Value}";
        var rest = route.Groups["rest"].Value;
        if (uploads)
        {
            return Upload(
                repo,
                long.Parse(route.Groups["id"].Value, CultureInfo.InvariantCulture),
                request.QueryString["name"],
                request.ContentType,
                body
            );
        }

        switch (request.HttpMethod, rest)
        {
            case ("GET", "releases"):
                return ListReleases(repo, request);
            case ("POST", "releases"):
                return CreateRelease(repo, body);
            case ("GET", _) when rest.StartsWith("releases/tags/", StringComparison.Ordinal):
                var tag = Uri.UnescapeDataString(rest["releases/tags/".Length..]);
                var published = Find(r => r.Repository == repo && r.Tag == tag && !r.Draft);
                if (published is null)
                    return NotFound("https://docs.github.com/rest/releases/releases#get-a-release-by-tag-name");
                else
                    return Send(200, ReleaseJson(published));
            case ("PATCH", _) when ReleaseId().Match(rest) is { Success: true } id:
                return EditRelease(repo, long.Parse(id.Groups["id"].Value, CultureInfo.InvariantCulture), body);
            case ("GET", _) when ReleaseAssets().Match(rest) is { Success: true } id:
                var owner = Find(r =>
                    r.Repository == repo && r.Id == long.Parse(id.Groups["id"].Value, CultureInfo.InvariantCulture)
                );
                if (owner is null)
                    return NotFound("https://docs.github.com/rest/releases/assets#list-release-assets");
                else
                    return Send(
                        200,
                        new JsonArray(Snapshot(owner.Assets).Select(a => (JsonNode)AssetJson(repo, a)).ToArray())
                    );
            case ("GET", _) when AssetId().Match(rest) is { Success: true } id:
                // docs.github.com/rest/releases/assets#get-a-release-asset: JSON, or with Accept:
                // application/octet-stream the file itself, through a 302 to a download URL.
                var assetId = long.Parse(id.Groups["id"].Value, CultureInfo.InvariantCulture);
                var holder = Find(r => r.Repository == repo && r.Assets.Any(a => a.Id == assetId));
                if (holder is null)
                    return NotFound("https://docs.github.com/rest/releases/assets#get-a-release-asset");
                else if (
                    headers
                        .GetValueOrDefault("Accept", "")
                        .Contains("application/octet-stream", StringComparison.OrdinalIgnoreCase)
                )
                {
                    return new StandInAnswer(302, "", "")
                    {
                        Headers = new Dictionary<string, string>
                        {
                            ["Location"] = $"{UploadsAddress}downloads/{assetId}?X-Amz-Signature=standin",
                        },
                    };
                }
                else
                    return Send(200, AssetJson(repo, Snapshot(holder.Assets).Single(a => a.Id == assetId)));
            case ("DELETE", _) when AssetId().Match(rest) is { Success: true } id:
                return DeleteAsset(repo, long.Parse(id.Groups["id"].Value, CultureInfo.InvariantCulture));
            case ("GET", _) when PullNumber().Match(rest) is { Success: true } pull:
                JsonObject? found;
                lock (_gate)
                    found = _pulls.GetValueOrDefault(
                        (repo, int.Parse(pull.Groups["n"].Value, CultureInfo.InvariantCulture))
                    );
                if (found is null)
                    return NotFound("https://docs.github.com/rest/pulls/pulls#get-a-pull-request");
                else
                    return Send(200, found.DeepClone());
            case ("POST", _) when IsDeploymentRoute(rest):
                return HandleDeployments(repo, rest, body);
            default:
                return NotFound("https://docs.github.com/rest");
        }
    }

    private bool Authorized(Dictionary<string, string> headers) =>
        headers.TryGetValue("Authorization", out var value)
        && (value == $"token {Token}" || value == $"Bearer {Token}" || value == $"Token {Token}");

    private StandInAnswer ListReleases(string repo, StandInRequest request)
    {
        var perPage = int.TryParse(request.QueryString["per_page"], out var p)
            ? Math.Clamp(p, 1, 100)
            : DefaultPageSize;
        var page = int.TryParse(request.QueryString["page"], out var n) ? Math.Max(1, n) : 1;
        List<GitHubApiRelease> all;
        lock (_gate)
            all = _releases.Where(r => r.Repository == repo).OrderByDescending(r => r.Id).ToList();
        var slice = all.Skip((page - 1) * perPage).Take(perPage).ToList();
        var lastPage = Math.Max(1, (all.Count + perPage - 1) / perPage);
        var links = new List<string>();
        if (page < lastPage)
        {
            links.Add($"<{Api($"repos/{repo}/releases")}?per_page={perPage}&page={page + 1}>; rel=\"next\"");
            links.Add($"<{Api($"repos/{repo}/releases")}?per_page={perPage}&page={lastPage}>; rel=\"last\"");
        }

        var answer = Send(200, new JsonArray(slice.Select(r => (JsonNode)ReleaseJson(r)).ToArray()));
        return links.Count == 0 ? answer : WithHeaders(answer, ("Link", string.Join(", ", links)));
    }

    private StandInAnswer CreateRelease(string repo, byte[] body)
    {
        var json = JsonNode.Parse(body)!.AsObject();
        var tag = json["tag_name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(tag))
        {
            return Validation(
                "Release",
                "tag_name",
                "missing_field",
                "https://docs.github.com/rest/releases/releases#create-a-release"
            );
        }

        GitHubApiRelease release;
        lock (_gate)
        {
            if (_releases.Any(r => r.Repository == repo && r.Tag == tag))
            {
                release = null!;
            }
            else
            {
                release = new GitHubApiRelease(_nextId++, repo, tag)
                {
                    Name = json["name"]?.GetValue<string>() ?? tag,
                    Body = json["body"]?.GetValue<string>() ?? "",
                    Draft = json["draft"]?.GetValue<bool>() ?? false,
                    Prerelease = json["prerelease"]?.GetValue<bool>() ?? false,
                    TargetCommitish = json["target_commitish"]?.GetValue<string>() ?? "main",
                };
                if (!release.Draft)
                    Publish(release);
                _releases.Add(release);
            }
        }

        if (release is null)
            return Validation(
                "Release",
                "tag_name",
                "already_exists",
                "https://docs.github.com/rest/releases/releases#create-a-release"
            );
        else
            return Send(201, ReleaseJson(release));
    }

    private StandInAnswer EditRelease(string repo, long id, byte[] body)
    {
        var json = JsonNode.Parse(body)!.AsObject();
        var release = Find(r => r.Repository == repo && r.Id == id);
        if (release is null)
        {
            return NotFound("https://docs.github.com/rest/releases/releases#update-a-release");
        }

        lock (_gate)
        {
            if (json["name"] is { } name)
                release.Name = name.GetValue<string>();
            if (json["body"] is { } text)
                release.Body = text.GetValue<string>();
            if (json["prerelease"] is { } pre)
                release.Prerelease = pre.GetValue<bool>();
            if (json["draft"] is { } draft && release.Draft && !draft.GetValue<bool>())
                Publish(release);
        }

        return Send(200, ReleaseJson(release));
    }

    private void Publish(GitHubApiRelease release)
    {
        release.Draft = false;
        release.PublishedAt = DateTimeOffset.UtcNow;
        release.Immutable = ImmutableReleases;
    }

    private StandInAnswer Upload(string repo, long id, string? name, string? contentType, byte[] body)
    {
        const string docs = "https://docs.github.com/rest/releases/assets#upload-a-release-asset";
        var release = Find(r => r.Repository == repo && r.Id == id);
        if (release is null || string.IsNullOrEmpty(name))
        {
            return NotFound(docs);
        }

        if (release.Immutable)
        {
            return Send(
                422,
                new JsonObject
                {
                    ["message"] = "Cannot upload assets to an immutable release.",
                    ["documentation_url"] = docs,
                    ["status"] = "422",
                }
            );
        }

        GitHubApiAsset? asset = null;
        lock (_gate)
        {
            if (!release.Assets.Any(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                asset = new GitHubApiAsset(_nextId++, name, contentType ?? "application/octet-stream", body);
                release.Assets.Add(asset);
            }
        }

        if (asset is null)
            return Validation("ReleaseAsset", "name", "already_exists", docs);
        else
            return Send(201, AssetJson(repo, asset));
    }

    private StandInAnswer Download(long id)
    {
        GitHubApiAsset? asset;
        lock (_gate)
            asset = _releases.SelectMany(r => r.Assets).FirstOrDefault(a => a.Id == id);
        if (asset is null)
        {
            return NotFound("https://docs.github.com/rest/releases/assets#get-a-release-asset");
        }

        return new StandInAnswer(200, "", "application/octet-stream") { Bytes = asset.Content };
    }

    private StandInAnswer DeleteAsset(string repo, long id)
    {
        GitHubApiRelease? owner;
        lock (_gate)
            owner = _releases.FirstOrDefault(r => r.Repository == repo && r.Assets.Any(a => a.Id == id));
        if (owner is null)
        {
            return NotFound("https://docs.github.com/rest/releases/assets#delete-a-release-asset");
        }

        if (owner.Immutable)
        {
            return Send(
                422,
                new JsonObject { ["message"] = "Cannot delete assets of an immutable release.", ["status"] = "422" }
            );
        }

        lock (_gate)
            owner.Assets.RemoveAll(a => a.Id == id);
        return new StandInAnswer(204, "", "");
    }

    private GitHubApiRelease? Find(Func<GitHubApiRelease, bool> match)
    {
        lock (_gate)
            return _releases.FirstOrDefault(match);
    }

    private List<GitHubApiAsset> Snapshot(List<GitHubApiAsset> assets)
    {
        lock (_gate)
            return assets.ToList();
    }

    private string Api(string path) => $"{BaseAddress}api/v3/{path}";

    private static JsonObject User(string login) =>
        new()
        {
            ["login"] = login,
            ["id"] = Math.Abs(login.GetHashCode(StringComparison.Ordinal)) % 100000,
            ["node_id"] = "U_" + login,
            ["avatar_url"] = $"https://avatars.example/{login}",
            ["html_url"] = $"https://github.example/{login}",
            ["type"] = "User",
            ["site_admin"] = false,
        };

    private JsonObject ReleaseJson(GitHubApiRelease r)
    {
        lock (_gate)
        {
            return new JsonObject
            {
                ["url"] = Api($"repos/{r.Repository}/releases/{r.Id}"),
                ["html_url"] = $"https://github.example/{r.Repository}/releases/tag/{r.Tag}",
                ["assets_url"] = Api($"repos/{r.Repository}/releases/{r.Id}/assets"),
                // RFC 6570 template on the uploads host, exactly as GitHub advertises it.
                ["upload_url"] =
                    $"{UploadsAddress}api/uploads/repos/{r.Repository}/releases/{r.Id}/assets{{?name,label}}",
                ["tarball_url"] = Api($"repos/{r.Repository}/tarball/{r.Tag}"),
                ["zipball_url"] = Api($"repos/{r.Repository}/zipball/{r.Tag}"),
                ["id"] = r.Id,
                ["node_id"] = $"RE_{r.Id}",
                ["tag_name"] = r.Tag,
                ["target_commitish"] = r.TargetCommitish,
                ["name"] = r.Name,
                ["body"] = r.Body,
                ["draft"] = r.Draft,
                ["prerelease"] = r.Prerelease,
                ["immutable"] = r.Immutable,
                ["created_at"] = r.CreatedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                ["published_at"] = r.PublishedAt?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                ["author"] = User("release-bot"),
                ["assets"] = new JsonArray(r.Assets.Select(a => (JsonNode)AssetJson(r.Repository, a)).ToArray()),
            };
        }
    }

    private JsonObject AssetJson(string repo, GitHubApiAsset a) =>
        new()
        {
            ["url"] = Api($"repos/{repo}/releases/assets/{a.Id}"),
            ["browser_download_url"] = $"https://github.example/{repo}/releases/download/{a.Name}",
            ["id"] = a.Id,
            ["node_id"] = $"RA_{a.Id}",
            ["name"] = a.Name,
            ["label"] = "",
            ["state"] = "uploaded",
            ["content_type"] = a.ContentType,
            ["size"] = a.Content.Length,
            ["download_count"] = 0,
            ["created_at"] = "2026-11-22T12:00:00Z",
            ["updated_at"] = "2026-11-22T12:00:00Z",
            ["uploader"] = User("release-bot"),
        };

    private static StandInAnswer NotFound(string docs) =>
        Send(
            404,
            new JsonObject
            {
                ["message"] = "Not Found",
                ["documentation_url"] = docs,
                ["status"] = "404",
            }
        );

    private static StandInAnswer Validation(string resource, string field, string code, string docs) =>
        Send(
            422,
            new JsonObject
            {
                ["message"] = "Validation Failed",
                ["errors"] = new JsonArray(
                    new JsonObject
                    {
                        ["resource"] = resource,
                        ["code"] = code,
                        ["field"] = field,
                    }
                ),
                ["documentation_url"] = docs,
                ["status"] = "422",
            }
        );

    private static StandInAnswer SendFault(GitHubApiFault fault)
    {
        switch (fault.Kind)
        {
            case GitHubApiFaultKind.RateLimited:
                return WithHeaders(
                    Send(
                        403,
                        new JsonObject
                        {
                            ["message"] =
                                "API rate limit exceeded for user ID 1. If you reach out "
                                + "to GitHub Support for help, please include the request ID.",
                            ["documentation_url"] =
                                "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
                            ["status"] = "403",
                        }
                    ),
                    ("X-RateLimit-Limit", "5000"),
                    ("X-RateLimit-Remaining", "0"),
                    ("X-RateLimit-Used", "5000"),
                    ("X-RateLimit-Reset", fault.ResetAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
                    ("X-RateLimit-Resource", "core")
                );
            case GitHubApiFaultKind.Forbidden:
                return Send(
                    403,
                    new JsonObject
                    {
                        ["message"] = "Resource not accessible by integration",
                        ["documentation_url"] = "https://docs.github.com/rest/releases/releases#create-a-release",
                        ["status"] = "403",
                    }
                );
            case GitHubApiFaultKind.ServerError:
                return Send(502, new JsonObject { ["message"] = "Server Error" });
            default:
                return Send(
                    401,
                    new JsonObject
                    {
                        ["message"] = "Bad credentials",
                        ["documentation_url"] = "https://docs.github.com/rest",
                        ["status"] = "401",
                    }
                );
        }
    }

    private static StandInAnswer Send(int status, JsonNode body) =>
        new(
            status,
            body.ToJsonString(new JsonSerializerOptions { WriteIndented = false }),
            "application/json; charset=utf-8"
        )
        {
            Headers = new Dictionary<string, string> { ["X-GitHub-Media-Type"] = "github.v3; format=json" },
        };

    private static StandInAnswer WithHeaders(StandInAnswer answer, params (string Name, string Value)[] headers)
    {
        var all = new Dictionary<string, string>(answer.Headers, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
            all[name] = value;
        return answer with { Headers = all };
    }

    [GeneratedRegex(@"^/api/v3/repos/(?<owner>[^/]+)/(?<repo>[^/]+)/(?<rest>.+)$")]
    private static partial Regex ApiRoute();

    [GeneratedRegex(@"^/api/uploads/repos/(?<owner>[^/]+)/(?<repo>[^/]+)/releases/(?<id>\d+)/assets$")]
    private static partial Regex UploadRoute();

    [GeneratedRegex(@"^releases/(?<id>\d+)$")]
    private static partial Regex ReleaseId();

    [GeneratedRegex(@"^releases/(?<id>\d+)/assets$")]
    private static partial Regex ReleaseAssets();

    [GeneratedRegex(@"^releases/assets/(?<id>\d+)$")]
    private static partial Regex AssetId();

    [GeneratedRegex(@"^/downloads/(?<id>\d+)$")]
    private static partial Regex Download();

    [GeneratedRegex(@"^pulls/(?<n>\d+)$")]
    private static partial Regex PullNumber();
}
