using Pipeline.Git.CalVer;
using Pipeline.Testing;

namespace Pipeline.Git.Tests.CalVer;

/// <summary>
/// Services released separately: each tag prefix (<c>api-</c>, <c>web-</c>) its own per-day counter, and one run's tags
/// pushed in one atomic push. Real git: a bare remote in a temp folder and clones of it.
/// </summary>
public sealed class PrefixedCalVerTaggerTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private readonly GitSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private static CalVerTagOptions At(DateTimeOffset now, bool push = true) =>
        new() { Clock = new FixedClock(now), Push = push };

    private static CalVerTagger Tagger(GitClone clone) => new(GitTestRepositories.Open(clone));

    [GitFact]
    public async Task Each_prefix_counts_its_own_releases_of_the_day_apart_from_the_repository_tags()
    {
        var clone = _sandbox.Clone("work");
        var earlier = clone.Commit("feat: earlier");
        clone.Git("push", "--quiet", "origin", "HEAD:refs/heads/main");
        _sandbox.SeedRemoteTags(earlier, ["v26.11.22.4", "api-v26.11.22.1", "api-v26.11.22.2", "web-v26.11.21.9"]);
        var head = clone.Commit("feat: both");

        var results = await Tagger(clone).TagEachAsync(["api-", "web-"], At(Noon));

        Assert.Equal(["api-v26.11.22.3", "web-v26.11.22.1"], results.Select(r => r.Name));
        Assert.Equal("api-v26.11.22.2", results[0].PreviousName);
        Assert.Equal(earlier, results[0].PreviousCommit);
        Assert.Equal("web-v26.11.21.9", results[1].PreviousName);
        Assert.All(results, r => Assert.True(r.Pushed && !r.Reused));
        Assert.Equal(head, _sandbox.RemoteGit("rev-parse", "api-v26.11.22.3^{commit}"));
        Assert.Equal(head, _sandbox.RemoteGit("rev-parse", "web-v26.11.22.1^{commit}"));
        Assert.DoesNotContain("v26.11.22.5", _sandbox.RemoteTags()); // the repository's own counter is untouched
    }

    [GitFact]
    public async Task A_re_run_reuses_each_services_tag_and_a_new_service_gets_its_first()
    {
        var clone = _sandbox.Clone("work");
        clone.Commit("feat: api");
        await Tagger(clone).TagEachAsync(["api-"], At(Noon));

        var again = await Tagger(clone).TagEachAsync(["api-", "web-"], At(Noon.AddHours(1)));

        Assert.Equal(["api-v26.11.22.1", "web-v26.11.22.1"], again.Select(r => r.Name));
        Assert.True(again[0].Reused);
        Assert.False(again[1].Reused);
        Assert.Equal(["api-v26.11.22.1", "web-v26.11.22.1"], _sandbox.RemoteTags());
    }

    [GitFact]
    public async Task A_remote_declining_one_services_tag_leaves_no_tag_of_the_run_anywhere()
    {
        // The atomic push: the remote takes every tag of the run or none, so api's tag never lands without web's.
        var hook = Path.Combine(_sandbox.Remote, "hooks", "pre-receive");
        File.WriteAllText(
            hook,
            """
            #!/bin/sh
            while read old new ref; do
              case "$ref" in refs/tags/web-*) echo "web is frozen" >&2; exit 1;; esac
            done
            exit 0
            """.Replace("\r", "")
        );
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var clone = _sandbox.Clone("work");
        clone.Commit("feat: both");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Tagger(clone).TagEachAsync(["api-", "web-"], At(Noon))
        );

        Assert.Contains("origin declined the tag api-v26.11.22.1, web-v26.11.22.1", error.Message);
        Assert.Contains("web is frozen", error.Message);
        Assert.Empty(_sandbox.RemoteTags());
        Assert.Empty(clone.LocalTags());
    }

    [GitFact]
    public async Task An_image_labelled_with_another_number_refuses_before_any_tag_is_created()
    {
        var clone = _sandbox.Clone("work");
        clone.Commit("feat: both");
        var expected = new Dictionary<string, string?> { ["api-"] = "api-v26.11.22.1", ["web-"] = "web-v26.11.22.7" };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Tagger(clone).TagEachAsync(["api-", "web-"], At(Noon), expected)
        );

        Assert.Contains(
            "the image was labelled web-v26.11.22.7, but the tag for HEAD is now web-v26.11.22.1",
            error.Message
        );
        Assert.Empty(clone.LocalTags());
        Assert.Empty(_sandbox.RemoteTags());
    }

    [GitFact]
    public async Task Planning_with_a_prefix_names_that_prefixs_next_tag()
    {
        var clone = _sandbox.Clone("work");
        var earlier = clone.Commit("feat: earlier");
        clone.Git("push", "--quiet", "origin", "HEAD:refs/heads/main");
        _sandbox.SeedRemoteTags(earlier, ["api-v26.11.22.1"]);
        clone.Commit("feat: next");

        var planned = await Tagger(clone).PlanAsync(At(Noon) with { Prefix = "api-" });
        var single = await Tagger(clone)
            .TagAsync(At(Noon, push: false) with { Prefix = "api-", Expected = "api-" + planned });

        Assert.Equal("v26.11.22.2", planned.ToString());
        Assert.Equal("api-v26.11.22.2", single.Name);
        Assert.Equal(["api-v26.11.22.2"], clone.LocalTags());
    }
}
