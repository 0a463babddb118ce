using System.Globalization;
using Pipeline.Git.CalVer;
using Pipeline.Testing;

namespace Pipeline.Git.Tests.CalVer;

/// <summary>HEAD's package version from real git: its own tag, or the pre-release of the next release.</summary>
public sealed class PackageVersionResolverTests : IDisposable
{
    private readonly GitSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private static Task<CalVerPackageVersion> Resolve(GitClone clone, string prefix = "") =>
        new PackageVersionResolver(GitTestRepositories.Open(clone)).ResolveAsync(prefix);

    /// <summary>HEAD's commit day (UTC) as a CalVer date, e.g. "26.12.05".</summary>
    private static DateOnly CommitDay(GitClone clone) =>
        DateOnly.FromDateTime(
            DateTimeOffset
                .Parse(clone.Git("show", "-s", "--format=%cI", "HEAD"), CultureInfo.InvariantCulture)
                .UtcDateTime
        );

    private static string Tag(DateOnly day, int index) => new CalVerTag(day, index).ToString();

    private static string Short(DateOnly day) => $"{day.Year % 100}.{day.Month}.{day.Day}";

    // SemVer forbids a numeric identifier with a leading zero, so an all-digit short sha gets a 'g' (as git describe
    // writes it). Commits here carry the day's date, so on some days the sandbox's sha is all digits.
    private static string Sha7(string sha) => sha[..7].All(char.IsAsciiDigit) ? "g" + sha[..7] : sha[..7];

    [GitFact]
    public async Task A_commit_with_a_calver_tag_gets_the_release_version()
    {
        var clone = _sandbox.Clone("work");
        clone.Commit("feat: x");
        var day = CommitDay(clone);
        clone.Git("tag", "-a", Tag(day, 3), "-m", "release");

        var version = await Resolve(clone);

        Assert.Equal($"{Short(day)}.3", version.Version);
        Assert.True(version.IsRelease);
        Assert.Equal(0, version.Height);
    }

    [GitFact]
    public async Task Without_any_tag_the_height_is_the_whole_history()
    {
        var clone = _sandbox.Clone("work");
        var head = clone.Commit("feat: x");

        var version = await Resolve(clone);

        // The sandbox's seed commit plus this one.
        Assert.Equal($"{Short(CommitDay(clone))}-ci.2.{Sha7(head)}", version.Version);
        Assert.False(version.IsRelease);
    }

    [GitFact]
    public async Task Commits_after_a_release_of_the_same_day_are_pre_releases_of_the_days_next_index()
    {
        var clone = _sandbox.Clone("work");
        clone.Commit("feat: released");
        var day = CommitDay(clone);
        clone.Git("tag", "-a", Tag(day, 1), "-m", "release");
        clone.Commit("fix: one");
        var head = clone.Commit("fix: two");

        var version = await Resolve(clone);

        Assert.Equal($"{Short(day)}.2-ci.2.{Sha7(head)}", version.Version);
        Assert.Equal(2, version.Height);
    }

    [GitFact]
    public async Task After_an_older_release_the_height_counts_from_it_and_the_day_is_the_commits()
    {
        var clone = _sandbox.Clone("work");
        clone.Commit("feat: released");
        clone.Git("tag", "v20.01.02.1");
        clone.Commit("fix: one");
        clone.Commit("fix: two");
        var head = clone.Commit("fix: three");

        var version = await Resolve(clone);

        Assert.Equal($"{Short(CommitDay(clone))}-ci.3.{Sha7(head)}", version.Version);
    }

    [GitFact]
    public async Task A_prefix_reads_only_its_own_tags()
    {
        var clone = _sandbox.Clone("work");
        var head = clone.Commit("feat: x");
        var day = CommitDay(clone);
        clone.Git("tag", "-a", "api-" + Tag(day, 1), "-m", "api release");

        Assert.Equal($"{Short(day)}.1", (await Resolve(clone, "api-")).Version);
        Assert.Equal($"{Short(day)}-ci.2.{Sha7(head)}", (await Resolve(clone)).Version);
    }
}
