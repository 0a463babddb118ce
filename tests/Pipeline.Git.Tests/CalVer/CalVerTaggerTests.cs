using Pipeline.Git.CalVer;
using Pipeline.Git.Cli;
using Pipeline.Testing;

namespace Pipeline.Git.Tests.CalVer;

/// <summary>TagCalVer against real git: a bare remote in a temp folder and clones of it.</summary>
public sealed class CalVerTaggerTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private readonly GitSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private static CalVerTagOptions At(DateTimeOffset now, bool push = true, string? zone = null) =>
        new()
        {
            Clock = new FixedClock(now),
            Push = push,
            TimeZone = ReleaseCalendar.ResolveZone(zone),
        };

    private static Task<CalVerTagResult> Tag(GitClone clone, CalVerTagOptions options) =>
        new CalVerTagger(GitTestRepositories.Open(clone)).TagAsync(options);

    [GitFact]
    public async Task First_release_of_the_day_gets_index_1_as_an_annotated_tag_pushed_to_the_remote()
    {
        var clone = _sandbox.Clone("work");
        var head = clone.Commit("feat: first");

        var result = await Tag(clone, At(Noon));

        Assert.Equal("v26.11.22.1", result.Tag.ToString());
        Assert.False(result.Reused);
        Assert.True(result.Pushed);
        Assert.Equal(["v26.11.22.1"], _sandbox.RemoteTags());
        Assert.Equal("tag", _sandbox.RemoteGit("cat-file", "-t", "refs/tags/v26.11.22.1"));
        Assert.Equal(head, _sandbox.RemoteGit("rev-parse", "v26.11.22.1^{commit}"));
        Assert.Equal(
            "Release v26.11.22.1",
            _sandbox.RemoteGit("tag", "-l", "--format=%(contents:subject)", "v26.11.22.1")
        );
    }

    [GitFact]
    public async Task The_planned_tag_is_the_one_made_and_planning_creates_nothing()
    {
        var clone = _sandbox.Clone("work");
        clone.Commit("feat: first");
        await Tag(clone, At(Noon));
        clone.Commit("feat: second");
        var tagger = new CalVerTagger(GitTestRepositories.Open(clone));

        var planned = await tagger.PlanAsync(At(Noon));

        Assert.Equal("v26.11.22.2", planned.ToString());
        Assert.Equal(["v26.11.22.1"], _sandbox.RemoteTags());
        Assert.Equal(["v26.11.22.1"], clone.LocalTags());
        var made = await tagger.TagAsync(At(Noon) with { Expected = planned.ToString() });
        Assert.Equal(planned, made.Tag);
        Assert.Equal(planned, await tagger.PlanAsync(At(Noon))); // HEAD is tagged now: its own tag, not a new number
    }

    [GitFact]
    public async Task A_rival_taking_the_planned_number_makes_the_tagger_refuse_before_tagging()
    {
        var mine = _sandbox.Clone("mine");
        var rival = _sandbox.Clone("rival");
        mine.Commit("feat: mine");
        var planned = await new CalVerTagger(GitTestRepositories.Open(mine)).PlanAsync(At(Noon));
        rival.Commit("feat: rival");
        await Tag(rival, At(Noon)); // takes v26.11.22.1 while my image is being built with that label

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Tag(mine, At(Noon) with { Expected = planned.ToString() })
        );

        Assert.Contains("the image was labelled v26.11.22.1, but the tag for HEAD is now v26.11.22.2", error.Message);
        Assert.Empty(mine.LocalTags());
        Assert.Equal(["v26.11.22.1"], _sandbox.RemoteTags());
    }

    [GitFact]
    public async Task Numbers_come_from_the_remote_not_only_local_tags()
    {
        var stale = _sandbox.Clone("stale"); // cloned before anyone released today
        var other = _sandbox.Clone("other");
        other.Commit("fix: one");
        await Tag(other, At(Noon));
        other.Commit("fix: two");
        await Tag(other, At(Noon));
        Assert.Empty(stale.LocalTags());

        stale.Commit("feat: late");
        var result = await Tag(stale, At(Noon));

        Assert.Equal("v26.11.22.3", result.Tag.ToString());
        Assert.Equal("v26.11.22.2", result.Previous?.ToString());
        Assert.Equal(3, _sandbox.RemoteTags().Count);
    }

    [GitFact]
    public async Task A_new_day_starts_again_at_1_and_the_time_zone_decides_which_day()
    {
        var clone = _sandbox.Clone("work");
        clone.Commit("feat: a");
        var lateEvening = new DateTimeOffset(2026, 11, 22, 23, 30, 0, TimeSpan.Zero);
        Assert.Equal("v26.11.22.1", (await Tag(clone, At(lateEvening))).Tag.ToString());

        clone.Commit("feat: b");
        // Same instant, but in Auckland (UTC+13) it is already the 23rd.
        Assert.Equal("v26.11.23.1", (await Tag(clone, At(lateEvening, zone: "Pacific/Auckland"))).Tag.ToString());

        clone.Commit("feat: c");
        Assert.Equal("v26.11.22.2", (await Tag(clone, At(lateEvening))).Tag.ToString());

        clone.Commit("feat: d");
        var nextMorning = new DateTimeOffset(2026, 11, 23, 0, 30, 0, TimeSpan.Zero);
        var result = await Tag(clone, At(nextMorning));
        Assert.Equal("v26.11.23.2", result.Tag.ToString());
        Assert.Equal("v26.11.23.1", result.Previous?.ToString());
    }

    [GitFact]
    public async Task Re_running_on_a_tagged_head_reuses_the_tag_and_creates_nothing()
    {
        var clone = _sandbox.Clone("work");
        clone.Commit("feat: once");
        var first = await Tag(clone, At(Noon));

        var again = await Tag(clone, At(Noon.AddDays(3))); // even days later

        Assert.Equal(first.Tag, again.Tag);
        Assert.True(again.Reused);
        Assert.True(again.Pushed);
        Assert.Equal(["v26.11.22.1"], _sandbox.RemoteTags());

        // A fresh clone that fetched no tags also recognises HEAD as released, from the remote listing alone.
        var fresh = _sandbox.Clone("fresh");
        fresh.Git("checkout", "--quiet", first.Commit);
        fresh.Git("tag", "-d", "v26.11.22.1");
        var fromFresh = await Tag(fresh, At(Noon.AddDays(3)));
        Assert.True(fromFresh.Reused);
        Assert.Equal(["v26.11.22.1"], _sandbox.RemoteTags());
    }

    [GitFact]
    public async Task Local_profile_creates_the_tag_locally_and_pushes_nothing()
    {
        var clone = _sandbox.Clone("work");
        var head = clone.Commit("feat: local");

        var result = await Tag(clone, At(Noon, push: false));

        Assert.Equal("v26.11.22.1", result.Tag.ToString());
        Assert.False(result.Pushed);
        Assert.Equal(["v26.11.22.1"], clone.LocalTags());
        Assert.Equal(head, clone.Git("rev-parse", "v26.11.22.1^{commit}"));
        Assert.Empty(_sandbox.RemoteTags());

        // ...and it is idempotent too.
        Assert.True((await Tag(clone, At(Noon, push: false))).Reused);
        Assert.Single(clone.LocalTags());
    }

    [GitFact]
    public async Task A_local_tag_on_head_that_never_reached_the_remote_is_pushed_as_is()
    {
        var clone = _sandbox.Clone("work");
        var head = clone.Commit("feat: interrupted");
        await Tag(clone, At(Noon, push: false)); // an earlier run died between tag and push

        var result = await Tag(clone, At(Noon.AddHours(1)));

        Assert.True(result.Reused);
        Assert.True(result.Pushed);
        Assert.Equal(["v26.11.22.1"], _sandbox.RemoteTags());
        Assert.Equal(head, _sandbox.RemoteGit("rev-parse", "v26.11.22.1^{commit}"));
    }

    [GitFact]
    public async Task Existing_tags_are_never_moved()
    {
        var first = _sandbox.Clone("first");
        var released = first.Commit("feat: released");
        await Tag(first, At(Noon));

        var second = _sandbox.Clone("second");
        second.Git("tag", "-d", "v26.11.22.1"); // a clone that does not even know the tag locally
        second.Commit("feat: newer");
        var result = await Tag(second, At(Noon));

        Assert.Equal("v26.11.22.2", result.Tag.ToString());
        Assert.Equal(released, _sandbox.RemoteGit("rev-parse", "v26.11.22.1^{commit}"));
    }

    [GitFact]
    public async Task A_local_rehearsal_tag_whose_name_was_taken_remotely_does_not_block_the_release()
    {
        var mine = _sandbox.Clone("mine");
        var theirs = _sandbox.Clone("theirs");
        var head = mine.Commit("feat: mine");
        await Tag(mine, At(Noon, push: false)); // a local rehearsal left v26.11.22.1 on HEAD
        theirs.Commit("feat: theirs");
        await Tag(theirs, At(Noon)); // meanwhile CI released v26.11.22.1 elsewhere

        var result = await Tag(mine, At(Noon));

        Assert.Equal("v26.11.22.2", result.Tag.ToString());
        Assert.False(result.Reused);
        Assert.Equal(head, _sandbox.RemoteGit("rev-parse", "v26.11.22.2^{commit}"));
        Assert.NotEqual(head, _sandbox.RemoteGit("rev-parse", "v26.11.22.1^{commit}"));
    }

    [GitFact]
    public async Task A_remote_with_5000_tags_is_read_in_one_listing_and_numbered_correctly()
    {
        var seed = _sandbox.Clone("seed-tags");
        var old = seed.Head;
        var names = Enumerable
            .Range(0, 4_990)
            .Select(i => $"v{20 + i / 400:00}.{1 + i / 31 % 12:00}.{1 + i % 28:00}.{1 + i % 7}")
            .Concat(Enumerable.Range(1, 7).Select(i => $"v26.11.22.{i}"))
            .Concat(["v1.0.0", "v2.0.0-rc.1", "release-1"])
            .Distinct()
            .ToList();
        _sandbox.SeedRemoteTags(old, names);

        var clone = _sandbox.Clone("work");
        clone.Commit("feat: after many releases");
        var repository = GitTestRepositories.Open(clone);
        var listed = await repository.ListRemoteTagsAsync("origin", CalVerTag.RefGlob);
        var result = await new CalVerTagger(repository).TagAsync(At(Noon));

        Assert.True(listed.Count >= 4_000, $"only {listed.Count} tags listed");
        Assert.Equal("v26.11.22.8", result.Tag.ToString());
        Assert.Equal("v26.11.22.7", result.Previous?.ToString());
    }

    [GitFact]
    public async Task Eight_concurrent_runs_against_one_remote_get_eight_distinct_consecutive_tags()
    {
        var clones = Enumerable.Range(1, 8).Select(i => _sandbox.Clone($"runner-{i}")).ToList();
        var heads = clones.Select((c, i) => c.Commit($"feat: runner {i + 1}")).ToList();

        var results = await Task.WhenAll(clones.Select(c => Task.Run(() => Tag(c, At(Noon)))));

        var tags = results.Select(r => r.Tag.ToString()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Enumerable.Range(1, 8).Select(i => $"v26.11.22.{i}").Order(StringComparer.Ordinal), tags);
        Assert.Equal(8, _sandbox.RemoteTags().Count);
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(heads[i], _sandbox.RemoteGit("rev-parse", results[i].Tag + "^{commit}"));
        }
    }

    [GitFact]
    public async Task Losing_the_race_between_listing_and_push_means_re_read_and_take_the_next_number()
    {
        // Deterministic race: the remote's pre-receive hook lets "another runner" create v26.11.22.1 just before our
        // push lands.
        var rival = _sandbox.Clone("rival").Head;
        var hook = Path.Combine(_sandbox.Remote, "hooks", "pre-receive");
        File.WriteAllText(
            hook,
            $$"""
            #!/bin/sh
            if [ ! -f "$GIT_DIR/raced" ]; then
              touch "$GIT_DIR/raced"
              env -u GIT_QUARANTINE_PATH -u GIT_OBJECT_DIRECTORY -u GIT_ALTERNATE_OBJECT_DIRECTORIES \
                git update-ref refs/tags/v26.11.22.1 {{rival}}
            fi
            exit 0
            """.Replace("\r", "")
        );
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var clone = _sandbox.Clone("work");
        var head = clone.Commit("feat: racing");

        var result = await Tag(clone, At(Noon));

        Assert.Equal("v26.11.22.2", result.Tag.ToString());
        Assert.Equal(1, result.LostRaces);
        Assert.Equal(rival, _sandbox.RemoteGit("rev-parse", "v26.11.22.1^{commit}"));
        Assert.Equal(head, _sandbox.RemoteGit("rev-parse", "v26.11.22.2^{commit}"));
        Assert.Equal(["v26.11.22.2"], clone.LocalTags());
    }

    [GitFact]
    public async Task Concurrent_runs_on_the_same_commit_end_with_one_tag()
    {
        var first = _sandbox.Clone("a");
        first.Commit("feat: shared");
        first.Git("push", "--quiet", "origin", "HEAD:refs/heads/main");
        var clones = new[] { first, _sandbox.Clone("b"), _sandbox.Clone("c"), _sandbox.Clone("d") };

        var results = await Task.WhenAll(clones.Select(c => Task.Run(() => Tag(c, At(Noon)))));

        Assert.Single(results.Select(r => r.Tag).Distinct());
        Assert.Equal(["v26.11.22.1"], _sandbox.RemoteTags());
        // losers fetched the winner's tag: Release finds it here
        Assert.All(clones, c => Assert.Equal(["v26.11.22.1"], c.LocalTags()));
    }

    [GitFact]
    public async Task A_re_run_in_a_fresh_clone_without_tags_reuses_the_remote_tag_and_fetches_it()
    {
        var first = _sandbox.Clone("first");
        first.Commit("feat: released");
        first.Git("push", "--quiet", "origin", "HEAD:refs/heads/main");
        await Tag(first, At(Noon));
        var fresh = _sandbox.Clone("fresh");
        fresh.Git("tag", "--delete", "v26.11.22.1"); // as actions/checkout leaves it: no tags
        Assert.Empty(fresh.LocalTags());

        var result = await Tag(fresh, At(Noon.AddHours(3)));

        Assert.True(result.Reused);
        Assert.Equal("v26.11.22.1", result.Tag.ToString());
        Assert.Equal(["v26.11.22.1"], fresh.LocalTags());
        Assert.Equal(
            _sandbox.RemoteGit("rev-parse", "refs/tags/v26.11.22.1"),
            fresh.Git("rev-parse", "refs/tags/v26.11.22.1")
        );
    }

    [GitFact]
    public async Task A_push_declined_by_a_hook_is_reported_once_with_the_remotes_message()
    {
        var hook = Path.Combine(_sandbox.Remote, "hooks", "pre-receive");
        File.WriteAllText(
            hook,
            """
            #!/bin/sh
            echo x >> "$GIT_DIR/hook-runs"
            echo "release tags are frozen during the audit" >&2
            exit 1
            """.Replace("\r", "")
        );
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var clone = _sandbox.Clone("work");
        clone.Commit("feat: during the audit");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Tag(clone, At(Noon)));

        Assert.Equal(
            "origin declined the tag v26.11.22.1: [remote rejected] (pre-receive "
                + "hook declined); the remote said: release tags are frozen during the audit",
            error.Message
        );
        Assert.Single(File.ReadAllLines(Path.Combine(_sandbox.Remote, "hook-runs"))); // asked once, not 25 times
        Assert.Empty(clone.LocalTags());
        Assert.Empty(_sandbox.RemoteTags());
    }

    [GitFact]
    public async Task Malformed_tags_on_the_remote_are_ignored_never_fatal()
    {
        var seed = _sandbox.Clone("seeder").Head;
        _sandbox.SeedRemoteTags(
            seed,
            ["v２６.11.22.7", "v26.11.22.0", "v26.11.22.123456", "v26.11.22.5x", "v26.11.22", "v26.13.01.1", "vvv"]
        );
        var clone = _sandbox.Clone("work");
        clone.Commit("feat: among junk");

        var result = await Tag(clone, At(Noon));

        Assert.Equal("v26.11.22.1", result.Tag.ToString());
        Assert.Null(result.Previous);
    }

    [GitFact]
    public async Task A_failed_push_leaves_no_local_tag_and_never_shows_credentials()
    {
        const string canary = "ghp_CANARY0123456789SECRET";
        var clone = _sandbox.Clone("work");
        clone.Commit("feat: unreachable");
        clone.Git("remote", "set-url", "origin", $"https://x-access-token:{canary}@127.0.0.1:9/org/repo.git");

        var error = await Assert.ThrowsAsync<GitException>(() => Tag(clone, At(Noon)));

        Assert.DoesNotContain(canary, error.Message);
        Assert.DoesNotContain(canary, error.StandardError);
        Assert.DoesNotContain('\n', error.Message);
        Assert.StartsWith("git ls-remote", error.Message);
        Assert.Empty(clone.LocalTags());
    }
}
