using System.Security.Cryptography;
using System.Text.Json;
using Pipeline.GitHub.Releases;
using Pipeline.Testing;

namespace Pipeline.GitHub.Tests.Releases;

public sealed class LocalReleasePublisherTests : IDisposable
{
    private readonly TempFolder _root = new("pipeline-local-release-");

    public void Dispose() => _root.Dispose();

    private ReleaseAssetFile Asset(string name, string content)
    {
        var path = Path.Combine(_root.Path, "src-" + name);
        File.WriteAllText(path, content);
        return new ReleaseAssetFile(name, path);
    }

    [Fact]
    public async Task Writes_notes_assets_and_a_github_shaped_release_json()
    {
        var releases = Path.Combine(_root.Path, "artifacts", "releases");
        var asset = Asset("image-digests.json", """{"d":1}""");
        var request = new ReleaseRequest(
            "v26.11.22.1",
            "Release v26.11.22.1",
            "- notes\n",
            "abc123",
            Draft: false,
            Prerelease: true,
            [asset]
        );

        var record = await new LocalReleasePublisher(releases).PublishAsync(request);

        var folder = Path.Combine(releases, "v26.11.22.1");
        Assert.Equal(folder, record.Location);
        Assert.Equal("- notes\n", File.ReadAllText(Path.Combine(folder, "notes.md")));
        Assert.Equal("""{"d":1}""", File.ReadAllText(Path.Combine(folder, "assets", "image-digests.json")));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "release.json")));
        var root = json.RootElement;
        Assert.Equal("v26.11.22.1", root.GetProperty("tag_name").GetString());
        Assert.Equal("abc123", root.GetProperty("target_commitish").GetString());
        Assert.True(root.GetProperty("prerelease").GetBoolean());
        Assert.False(root.GetProperty("draft").GetBoolean());
        var entry = Assert.Single(root.GetProperty("assets").EnumerateArray());
        Assert.Equal(
            "sha256:" + Convert.ToHexStringLower(SHA256.HashData("""{"d":1}"""u8)),
            entry.GetProperty("digest").GetString()
        );
        Assert.Equal(7, entry.GetProperty("size").GetInt64());
    }

    [Fact]
    public async Task A_re_run_rewrites_the_folder_so_stale_assets_disappear()
    {
        var releases = Path.Combine(_root.Path, "releases");
        var publisher = new LocalReleasePublisher(releases);
        await publisher.PublishAsync(
            new ReleaseRequest("v26.11.22.1", "r", "one", "c", false, false, [Asset("old.txt", "x")])
        );

        var second = await publisher.PublishAsync(
            new ReleaseRequest("v26.11.22.1", "r", "two", "c", false, false, [Asset("new.txt", "y")])
        );

        Assert.False(second.Created);
        Assert.Equal(
            ["new.txt"],
            Directory.GetFiles(Path.Combine(releases, "v26.11.22.1", "assets")).Select(Path.GetFileName)
        );
        Assert.Equal("two", File.ReadAllText(Path.Combine(releases, "v26.11.22.1", "notes.md")));
    }
}
