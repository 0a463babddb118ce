using Pipeline.Components.Release;
using Pipeline.Engine;
using Pipeline.Engine.Targets;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Release;

/// <summary>
/// Which files Release attaches, through the real engine in a real clone (local profile: the release is written to
/// artifacts/releases/&lt;tag&gt;/, no GitHub involved): this run's products only, and never without what was asked
/// for.
/// </summary>
public sealed class ReleaseAssetTests : IDisposable
{
    private readonly GitSandbox _sandbox = new();
    private readonly GitClone _work;

    private sealed class AssetBuild : PipelineBuild, IRelease
    {
        public bool WritesRecord { get; init; } = true;

        Target Records =>
            _ =>
                _.Produces("artifacts/images/*.push.json")
                    .Before<ITagCalVer>(x => x.TagCalVer)
                    .Executes(() =>
                    {
                        if (WritesRecord)
                            File.WriteAllText(
                                Path.Combine(
                                    Directory
                                        .CreateDirectory(Path.Combine(RootDirectory, "artifacts", "images"))
                                        .FullName,
                                    "svc.release.push.json"
                                ),
                                "{\"digest\":\"sha256:new\"}"
                            );
                    });
    }

    public ReleaseAssetTests()
    {
        _work = _sandbox.Clone("work");
        _work.Git("config", "user.name", "Test Committer");
        _work.Git("config", "user.email", "committer@example.test");
        _work.Commit("feat: service");
    }

    public void Dispose() => _sandbox.Dispose();

    private async Task<(int Exit, string Output)> RunAsync(AssetBuild build, params string[] args)
    {
        var run = await BuildRun.RunBareAsync(
            build,
            [.. args, "--release-asset-targets", "Records", "--root", _work.Path],
            new Dictionary<string, string>(),
            default,
            "Release"
        );
        return (run.ExitCode, run.Output);
    }

    private string[] Attached(string tag) =>
        Directory
            .GetFiles(Path.Combine(_work.Path, "artifacts", "releases", tag, "assets"))
            .Select(Path.GetFileName)
            .ToArray()!;

    private void LeaveEarlierRunRecord()
    {
        var old = Path.Combine(
            Directory.CreateDirectory(Path.Combine(_work.Path, "artifacts", "images")).FullName,
            "old.release.push.json"
        );
        File.WriteAllText(old, "{\"digest\":\"sha256:old\"}");
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddHours(-2));
    }

    [GitFact]
    public async Task Only_files_written_in_this_run_are_attached()
    {
        LeaveEarlierRunRecord();

        var (exit, output) = await RunAsync(new AssetBuild(), "Records", "Release");

        Assert.True(exit == 0, output);
        var tag = Assert.Single(_work.LocalTags());
        Assert.Equal(["svc.release.push.json"], Attached(tag));
        Assert.Contains(
            "1 file(s) matching the asset targets' products are from an earlier run and are not attached",
            output
        );
        // The run report's release section: the tag's row and, with no GitHub token, the local record's folder.
        var report = File.ReadAllText(Path.Combine(_work.Path, "artifacts", "report", "index.html"));
        Assert.Contains(
            $"<tr><td>(the repository)</td><td>{tag}</td><td>artifacts/releases/{tag}</td><td>local "
                + $"record (no GitHub token)</td><td>created, published</td><td>1</td></tr>",
            report
        );
        Assert.Contains("<caption>Tags</caption>", report);
        // the tools the run started, with their versions
        Assert.Matches("<tr data-tool=\"git\"><td>git</td><td>git version [0-9.]+</td>", report);
    }

    [GitFact]
    public async Task An_asset_target_that_ran_but_left_nothing_refuses_the_release()
    {
        LeaveEarlierRunRecord();

        var (exit, output) = await RunAsync(new AssetBuild { WritesRecord = false }, "Records", "Release");

        Assert.Equal(1, exit);
        Assert.Contains(
            "Release: refusing to publish without the assets asked for (Records "
                + "ran but left no artifacts/images/*.push.json); nothing was published",
            output
        );
        Assert.Empty(Directory.GetDirectories(Path.Combine(_work.Path, "artifacts", "releases"))); // no release written
    }

    [GitFact]
    public async Task A_release_asset_glob_that_matches_nothing_stops_the_run_before_the_tag()
    {
        var (exit, output) = await RunAsync(new AssetBuild(), "Records", "Release", "--release-assets", "dist/*.zip");

        Assert.Equal(2, exit);
        Assert.Contains("Release: --release-assets: 'dist/*.zip' matches no file", output);
        Assert.Empty(_work.LocalTags());
        Assert.Empty(_sandbox.RemoteTags());
    }
}
