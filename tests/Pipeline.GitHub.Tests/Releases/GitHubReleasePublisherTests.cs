using System.Text.Json.Nodes;
using Pipeline.GitHub.Releases;
using Pipeline.Testing;

namespace Pipeline.GitHub.Tests.Releases;

/// <summary>
/// Octokit against <see cref="GitHubApiServer"/>, a local HTTP server that follows GitHub's documented REST shapes
/// (GitHub itself cannot be reached from tests). Assertions are on what Octokit really sent.
/// </summary>
public sealed class GitHubReleasePublisherTests : IDisposable
{
    private const string Repo = "octo-org/service";
    private const string Tag = "v26.11.22.1";
    private readonly GitHubApiServer _github = new("ghs_CANARY_release_token_0123456789");
    private readonly TempFolder _files = new("pipeline-release-assets-");
    private readonly RecordingLogger _log = new();

    public void Dispose()
    {
        _github.Dispose();
        _files.Dispose();
    }

    private GitHubReleasePublisher Publisher(string? token = null) =>
        new(GitHubClients.Create(token ?? _github.Token, _github.BaseAddress), GitHubRepositoryName.Parse(Repo), _log);

    private ReleaseAssetFile Asset(string name, string content)
    {
        var path = Path.Combine(_files.Path, name);
        File.WriteAllText(path, content);
        return new ReleaseAssetFile(name, path);
    }

    private ReleaseRequest Request(bool draft = false, params ReleaseAssetFile[] assets) =>
        new(
            Tag,
            $"Release {Tag}",
            "### Fixes\n\n- login (#9)\n",
            new string('c', 40),
            draft,
            Prerelease: false,
            assets
        );

    [Fact]
    public async Task First_run_creates_a_draft_uploads_on_the_uploads_host_then_publishes()
    {
        var digests = Asset("image-digests.json", """{"image":"sha256:abc"}""");
        var coverage = Asset("coverage-summary.md", "Line coverage: 87%");

        var record = await Publisher().PublishAsync(Request(false, digests, coverage));

        Assert.True(record.Created);
        Assert.False(record.Draft);
        Assert.Equal(["image-digests.json", "coverage-summary.md"], record.Uploaded);
        Assert.Equal($"https://github.example/{Repo}/releases/tag/{Tag}", record.Location);

        var sent = _github.Requests;
        var create = Assert.Single(sent, r => r is { Method: "POST", Host: "api" });
        Assert.Equal($"/api/v3/repos/{Repo}/releases", create.Path);
        var body = JsonNode.Parse(create.BodyText)!;
        Assert.Equal(Tag, (string?)body["tag_name"]);
        Assert.True((bool?)body["draft"]); // draft first: immutable releases take no assets later
        Assert.Equal(new string('c', 40), (string?)body["target_commitish"]);

        var uploads = sent.Where(r => r.Host == "uploads").ToList();
        Assert.Equal(2, uploads.Count);
        Assert.All(uploads, u => Assert.StartsWith("/api/uploads/repos/octo-org/service/releases/", u.Path));
        Assert.Contains("name=image-digests.json", uploads[0].Query);
        Assert.Equal("application/json", uploads[0].Headers["Content-Type"]);
        Assert.Equal("""{"image":"sha256:abc"}""", uploads[0].BodyText);
        Assert.Equal("text/markdown", uploads[1].Headers["Content-Type"]);

        var publish = sent.Last(r => r.Method == "PATCH");
        Assert.False((bool?)JsonNode.Parse(publish.BodyText)!["draft"]);
        Assert.True(
            sent.ToList().IndexOf(publish) > sent.ToList().IndexOf(uploads[^1]),
            "published before its assets were uploaded"
        );

        Assert.All(sent, r => Assert.EndsWith(_github.Token, r.Headers["Authorization"]));
        var release = Assert.Single(_github.Releases);
        Assert.False(release.Draft);
        Assert.Equal(2, release.Assets.Count);
    }

    [Fact]
    public async Task Re_running_after_publishing_changes_nothing_and_keeps_assets()
    {
        var asset = Asset("notes.txt", "v1");
        await Publisher().PublishAsync(Request(false, asset));
        var before = _github.Requests.Count;

        var again = await Publisher().PublishAsync(Request(false, asset));

        Assert.False(again.Created);
        Assert.Equal(["notes.txt"], again.Kept);
        Assert.Empty(again.Uploaded);
        var rerun = _github.Requests.Skip(before).ToList();
        Assert.DoesNotContain(rerun, r => r.Method is "POST" or "PATCH" or "DELETE");
        Assert.Single(_github.Releases);
    }

    [Fact]
    public async Task An_existing_draft_is_found_through_the_paged_list_and_never_duplicated()
    {
        for (var i = 0; i < 130; i++)
            _github.SeedRelease(Repo, $"v25.01.01.{i + 1}", draft: false);
        var draft = _github.SeedRelease(Repo, Tag, draft: true, ("coverage-summary.md", "old"));
        for (var i = 0; i < 120; i++)
            _github.SeedRelease(Repo, $"v27.01.01.{i + 1}", draft: false); // newer: pushes the draft to page 2

        var record = await Publisher().PublishAsync(Request(false, Asset("coverage-summary.md", "new")));

        Assert.False(record.Created);
        Assert.Equal(["coverage-summary.md"], record.Replaced);
        Assert.DoesNotContain(_github.Requests, r => r is { Method: "POST", Host: "api" });
        Assert.Contains(_github.Requests, r => r.Path.EndsWith("/releases/tags/" + Tag) && r.Method == "GET");
        Assert.Contains(_github.Requests, r => r.Path.EndsWith("/releases") && r.Query.Contains("page=2"));
        Assert.Single(_github.Releases, r => r.Tag == Tag);
        var asset = Assert.Single(draft.Assets);
        Assert.Equal("new", System.Text.Encoding.UTF8.GetString(asset.Content));
        Assert.False(draft.Draft);
        Assert.Equal("### Fixes\n\n- login (#9)\n", draft.Body);
    }

    [Fact]
    public async Task On_a_re_run_a_draft_keeps_an_asset_with_the_same_content_and_replaces_one_that_differs()
    {
        var draft = _github.SeedRelease(
            Repo,
            Tag,
            draft: true,
            ("digests.json", """{"d":"sha256:aa"}"""),
            ("coverage.md", "Line coverage: 81%")
        );

        var record = await Publisher()
            .PublishAsync(
                Request(
                    true,
                    Asset("digests.json", """{"d":"sha256:aa"}"""),
                    Asset("coverage.md", "Line coverage: 87%")
                )
            );

        Assert.Equal(["digests.json"], record.Kept);
        Assert.Equal(["coverage.md"], record.Replaced);
        // Same size, so both were downloaded to compare: the API's 302, then the file on the download host.
        var downloads = _github
            .Requests.Where(r =>
                r is { Method: "GET", Host: "api" } && r.Path.Contains("/releases/assets/", StringComparison.Ordinal)
            )
            .ToList();
        Assert.Equal(2, downloads.Count);
        Assert.All(downloads, d => Assert.Contains("application/octet-stream", d.Headers["Accept"]));
        Assert.Equal(2, _github.Requests.Count(r => r.Path.StartsWith("/downloads/", StringComparison.Ordinal)));
        Assert.Single(_github.Requests, r => r.Method == "DELETE");
        Assert.Single(_github.Requests, r => r.Host == "uploads" && r.Method == "POST");
        Assert.Equal(
            ["""{"d":"sha256:aa"}""", "Line coverage: 87%"],
            draft
                .Assets.OrderBy(a => a.Name == "coverage.md")
                .Select(a => System.Text.Encoding.UTF8.GetString(a.Content))
        );
    }

    [Fact]
    public async Task A_published_release_keeps_a_differing_asset_and_says_so()
    {
        var published = _github.SeedRelease(Repo, Tag, draft: false, ("digests.json", """{"d":"sha256:aa"}"""));

        var record = await Publisher().PublishAsync(Request(false, Asset("digests.json", """{"d":"sha256:bb"}""")));

        Assert.Equal(["digests.json"], record.Kept);
        Assert.DoesNotContain(_github.Requests, r => r.Method is "DELETE" or "POST");
        Assert.Contains(
            _log.Lines,
            l =>
                l.Contains(
                    "Asset digests.json on published release v26.11.22.1 "
                        + "differs from this run's file: kept as published",
                    StringComparison.Ordinal
                )
        );
        Assert.Equal(
            """{"d":"sha256:aa"}""",
            System.Text.Encoding.UTF8.GetString(Assert.Single(published.Assets).Content)
        );
    }

    [Fact]
    public async Task An_asset_another_run_uploads_meanwhile_is_replaced_on_a_draft_after_the_422()
    {
        var draft = _github.SeedRelease(Repo, Tag, draft: true);
        var raced = false;
        _github.OnRequest = r =>
        {
            if (r.Host == "uploads" && !raced)
            {
                raced = true;
                _github.AddAsset(draft, "image-digests.json", "rival");
            }
        };

        var record = await Publisher().PublishAsync(Request(true, Asset("image-digests.json", "ours")));

        var uploads = _github.Requests.Where(r => r.Host == "uploads").ToList();
        Assert.Equal(2, uploads.Count); // 422 already_exists, then the retry
        Assert.Contains(_github.Requests, r => r.Method == "DELETE");
        Assert.Equal("ours", System.Text.Encoding.UTF8.GetString(Assert.Single(draft.Assets).Content));
        Assert.True(record.Draft); // draft requested: not published
        Assert.True(draft.Draft);
    }

    [Fact]
    public async Task Adding_an_asset_to_a_published_immutable_release_fails_with_one_clear_line()
    {
        _github.ImmutableReleases = true;
        var published = _github.SeedRelease(Repo, Tag, draft: false);
        published.Immutable = true;

        var error = await Assert.ThrowsAsync<GitHubApiFailure>(() =>
            Publisher().PublishAsync(Request(false, Asset("late.json", "{}")))
        );

        Assert.Equal(422, error.StatusCode);
        Assert.Equal(
            "GitHub rejected uploading asset late.json to release "
                + "v26.11.22.1 (422 Cannot upload assets to an immutable release.)",
            error.Message
        );
    }

    [Fact]
    public async Task A_bad_token_is_a_401_line_that_never_contains_the_token()
    {
        const string canary = "ghp_CANARYwrongTOKEN9876543210";
        var error = await Assert.ThrowsAsync<GitHubApiFailure>(() => Publisher(canary).PublishAsync(Request()));

        Assert.Equal(401, error.StatusCode);
        Assert.StartsWith(
            "GitHub rejected the token while looking up the release of v26.11.22.1 (401 Bad credentials)",
            error.Message
        );
        Assert.DoesNotContain(canary, error.ToString());
        Assert.DoesNotContain(canary, _log.Text);
        Assert.DoesNotContain(_github.Token, error.ToString());
        Assert.Equal($"Token {canary}", _github.Requests[0].Headers["Authorization"]); // it was sent, only to GitHub
    }

    [Fact]
    public async Task Rate_limit_exhaustion_reports_when_it_resets()
    {
        var reset = DateTimeOffset.UtcNow.AddMinutes(17).AddSeconds(30);
        _github.FailNext(GitHubApiFault.RateLimited(reset));

        var error = await Assert.ThrowsAsync<GitHubApiFailure>(() => Publisher().PublishAsync(Request()));

        Assert.Equal(403, error.StatusCode);
        Assert.Contains(
            "rate limit exhausted while looking up the release of v26.11.22.1 (5000 requests/hour)",
            error.Message
        );
        Assert.Contains($"resets at {reset.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, in 18 min", error.Message);
        Assert.DoesNotContain(_github.Token, error.ToString());
    }

    [Fact]
    public async Task A_token_without_write_permission_says_which_permission_is_missing()
    {
        _github.FailNext(GitHubApiFault.Forbidden, times: 1);
        var error = await Assert.ThrowsAsync<GitHubApiFailure>(() => Publisher().PublishAsync(Request()));
        Assert.Contains("403 Resource not accessible by integration", error.Message);
        Assert.Contains("'contents: write'", error.Message);
        Assert.Empty(_github.Releases);
    }

    [Fact]
    public async Task Two_assets_with_one_name_are_refused_before_anything_is_sent()
    {
        var a = Asset("same.json", "1");
        var other = Directory.CreateDirectory(Path.Combine(_files.Path, "other")).FullName;
        File.WriteAllText(Path.Combine(other, "same.json"), "2");

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            Publisher()
                .PublishAsync(Request(false, a, new ReleaseAssetFile("same.json", Path.Combine(other, "same.json"))))
        );

        Assert.StartsWith("release assets: two files would both be named 'same.json'", error.Message);
        Assert.Empty(_github.Requests);
    }
}
