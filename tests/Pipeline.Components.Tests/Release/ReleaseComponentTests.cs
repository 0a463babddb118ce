using System.Text.Json;
using Pipeline.Components.Release;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Hosts;
using Pipeline.Engine.Results;
using Pipeline.Engine.Targets;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Release;

/// <summary>
/// TagCalVer and Release as a build uses them: a real clone with a bare origin, and for the publishing path a local
/// server following GitHub's documented REST shapes (GitHub itself cannot be reached from tests).
/// </summary>
public sealed class ReleaseComponentTests : IDisposable
{
    private const string Canary = "ghs_CANARYcomponentTOKEN_4242424242";
    private readonly GitSandbox _sandbox = new();
    private readonly GitClone _work;

    /// <summary>A build with a target that declares an image digests file, as PushGar does with its push
    /// records.</summary>
    private sealed class ReleaseBuild : IRelease
    {
        // attached by default (ReleaseAssetTargets)
        public Target PushGar => _ => _.Produces("artifacts/images/*.json").Executes(() => { });
    }

    public ReleaseComponentTests()
    {
        _work = _sandbox.Clone("work");
        foreach (var (key, value) in GitProcess.IsolatedEnvironment)
            _work.Git("config", "--local", ConfigKey(key), value);
        _work.Commit("feat: service");
        _work.Git("push", "--quiet", "origin", "main");
        _work.Git("checkout", "--quiet", "-b", "prod");
        _work.Git("push", "--quiet", "origin", "prod");
    }

    /// <summary>What PushGar leaves in this run (written after the run started: older files are an earlier run's and
    /// never attached).</summary>
    private void WriteImageRecord()
    {
        var images = Directory.CreateDirectory(Path.Combine(_work.Path, "artifacts", "images")).FullName;
        File.WriteAllText(Path.Combine(images, "pipeline-sample.json"), """{"digest":"sha256:0123"}""");
    }

    private static string ConfigKey(string env) =>
        env switch
        {
            "GIT_COMMITTER_NAME" => "user.name",
            "GIT_COMMITTER_EMAIL" => "user.email",
            _ => "pipeline.ignored-" + env.ToLowerInvariant().Replace('_', '-'),
        };

    public void Dispose() => _sandbox.Dispose();

    private static GitHubActionsContext Actions(string refName) =>
        new(
            "push",
            "refs/heads/" + refName,
            refName,
            "",
            "octo-org/service",
            "https://github.com",
            "1",
            null,
            false,
            null,
            null
        );

    [GitFact]
    public async Task Local_profile_tags_locally_and_writes_the_release_record_even_off_the_release_branch()
    {
        _work.Git("checkout", "--quiet", "main"); // a fresh clone is on main
        var build = new ReleaseBuild();
        using var harness = new ReleaseHarness(_work.Path);
        WriteImageRecord();

        await harness.RunAsync(((ITagCalVer)build).TagCalVer);
        await harness.RunAsync(((IRelease)build).Release);

        var tag = ((ITagCalVer)build).ReleaseTag!.Tag;
        Assert.Matches(@"^v\d{2}\.\d{2}\.\d{2}\.1$", tag);
        Assert.Equal([tag], _work.LocalTags());
        Assert.Empty(_sandbox.RemoteTags()); // local profile: nothing pushed
        Assert.Contains("not enforced: local rehearsal", harness.Sink.Text);

        var folder = Path.Combine(_work.Path, "artifacts", "releases", tag);
        Assert.Equal(folder, harness.Context.AllOutputs["release-url"]);
        Assert.Contains("### Features", File.ReadAllText(Path.Combine(folder, "notes.md")));
        Assert.Equal(
            """{"digest":"sha256:0123"}""",
            File.ReadAllText(Path.Combine(folder, "assets", "pipeline-sample.json"))
        );
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "release.json")));
        Assert.Equal(tag, json.RootElement.GetProperty("tag_name").GetString());
        Assert.Equal(_work.Head, json.RootElement.GetProperty("target_commitish").GetString());
        Assert.Contains($"**Release** `{tag}`", File.ReadAllText(Path.Combine(_work.Path, "artifacts", "summary.md")));
    }

    [GitFact]
    public async Task Publishing_on_prod_pushes_the_tag_and_creates_the_github_release_without_leaking_the_token()
    {
        using var github = new GitHubApiServer(Canary);
        var build = new ReleaseBuild();
        using var harness = new ReleaseHarness(
            _work.Path,
            new BuildHost(HostKind.GitHubActions, false, Actions("prod"), false)
        );
        WriteImageRecord();
        harness.Set(nameof(IReleaseFlow.GithubToken), Canary, secret: true);
        // as GITHUB_API_URL reads on Enterprise
        harness.Set(nameof(IRelease.GithubApiUrl), github.BaseAddress + "api/v3");

        await harness.RunAsync(((ITagCalVer)build).TagCalVer);
        await harness.RunAsync(((IRelease)build).Release);
        await harness.RunAsync(((ITagCalVer)build).TagCalVer); // a re-run of the job
        await harness.RunAsync(((IRelease)build).Release);

        var tag = ((ITagCalVer)build).ReleaseTag!.Tag;
        Assert.Equal([tag], _sandbox.RemoteTags());
        Assert.Equal(tag, harness.Context.AllOutputs["release-tag"]);
        var release = Assert.Single(github.Releases);
        Assert.Equal(tag, release.Tag);
        Assert.Equal("octo-org/service", release.Repository);
        Assert.False(release.Draft);
        Assert.Equal("pipeline-sample.json", Assert.Single(release.Assets).Name);
        Assert.Equal(
            $"https://github.example/octo-org/service/releases/tag/{tag}",
            harness.Context.AllOutputs["release-url"]
        );
        Assert.False(Directory.Exists(Path.Combine(_work.Path, "artifacts", "releases")));

        Assert.DoesNotContain(Canary, harness.Sink.Text);
        Assert.DoesNotContain(Canary, File.ReadAllText(Path.Combine(_work.Path, "artifacts", "summary.md")));
        Assert.DoesNotContain(Canary, release.Body);
        Assert.All(github.Requests, r => Assert.Equal("Token " + Canary, r.Headers["Authorization"]));
    }

    [GitFact]
    public async Task Publishing_from_main_is_refused_before_any_tag_exists()
    {
        _work.Git("checkout", "--quiet", "main");
        var build = new ReleaseBuild();
        using var harness = new ReleaseHarness(
            _work.Path,
            new BuildHost(HostKind.GitHubActions, false, Actions("main"), false)
        );
        harness.Set(nameof(IReleaseFlow.GithubToken), Canary, secret: true);

        var error = await Assert.ThrowsAsync<BuildFailure>(() => harness.RunAsync(((ITagCalVer)build).TagCalVer));

        Assert.StartsWith("TagCalVer refused: releases are cut only from 'prod'", error.Message);
        Assert.Empty(_work.LocalTags());
        Assert.Empty(_sandbox.RemoteTags());
    }

    [GitFact]
    public async Task A_hotfix_without_backport_is_refused_when_backports_are_required()
    {
        _work.Git("checkout", "--quiet", "-b", "hotfix/pay", "prod");
        var fix = _work.Commit("fix: payment rounding");
        _work.Git("checkout", "--quiet", "prod");
        _work.Git("merge", "--quiet", "--no-ff", "-m", "Merge pull request #3 from octo-org/hotfix/pay", "hotfix/pay");
        var build = new ReleaseBuild();
        using var harness = new ReleaseHarness(_work.Path);
        harness.Set(nameof(IReleaseFlow.RequireBackport), true);
        harness.Set(nameof(IReleaseFlow.EnforceReleaseFlow), true);

        var error = await Assert.ThrowsAsync<BuildFailure>(() => harness.RunAsync(((ITagCalVer)build).TagCalVer));

        Assert.Contains("hotfix not backported", error.Message);
        Assert.Contains(fix[..7], error.Message);
        Assert.Empty(_work.LocalTags());
    }

    [GitFact]
    public async Task Release_without_its_tag_refuses_to_run()
    {
        var build = new ReleaseBuild();
        using var harness = new ReleaseHarness(_work.Path);
        var error = await Assert.ThrowsAsync<BuildFailure>(() => harness.RunAsync(((IRelease)build).Release));
        Assert.Equal("Release needs its CalVer tag, and TagCalVer did not produce one", error.Message);

        build.SetResult(
            () => ((ITagCalVer)build).ReleaseTag,
            new ReleaseTag("v26.11.22.9", "0000000", true, false, null, null)
        ); // claimed, but never created
        error = await Assert.ThrowsAsync<BuildFailure>(() => harness.RunAsync(((IRelease)build).Release));
        Assert.Equal("Release: tag v26.11.22.9 does not exist in this repository; run TagCalVer first", error.Message);
        Assert.False(Directory.Exists(Path.Combine(_work.Path, "artifacts", "releases")));
    }

    [GitFact]
    public async Task A_bad_time_zone_is_one_line_naming_the_parameter()
    {
        var build = new ReleaseBuild();
        using var harness = new ReleaseHarness(_work.Path);
        harness.Set(nameof(ITagCalVer.ReleaseTimeZone), "Europe/Atlantis");
        var error = await Assert.ThrowsAsync<BuildFailure>(() => harness.RunAsync(((ITagCalVer)build).TagCalVer));
        Assert.StartsWith("--release-time-zone: unknown time zone 'Europe/Atlantis'", error.Message);
    }
}
