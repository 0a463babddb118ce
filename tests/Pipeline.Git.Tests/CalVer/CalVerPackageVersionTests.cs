using NuGet.Versioning;
using Pipeline.Git.CalVer;

namespace Pipeline.Git.Tests.CalVer;

/// <summary>The package version rule (docs/packages.md), checked with NuGet's own parser and ordering.</summary>
public sealed class CalVerPackageVersionTests
{
    private const string Commit = "1a2b3c4d5e6f708192a3b4c5d6e7f80912a3b4c5";

    [Fact]
    public void A_release_tag_gives_the_four_part_version_without_zero_padding()
    {
        Assert.Equal("26.12.5.1", CalVerPackageVersion.ForRelease(CalVerTag.Parse("v26.12.05.1")));
        Assert.Equal("26.1.31.12", CalVerPackageVersion.ForRelease(CalVerTag.Parse("v26.01.31.12")));
        Assert.False(NuGetVersion.Parse("26.12.5.1").IsPrerelease);
    }

    [Fact]
    public void The_first_pre_release_of_a_day_has_three_parts_and_the_height_and_commit()
    {
        var version = CalVerPackageVersion.ForPreRelease(CalVerTag.Parse("v26.12.05.1"), 3, Commit);

        Assert.Equal("26.12.5-ci.3.1a2b3c4", version);
        Assert.True(NuGetVersion.Parse(version).IsPrerelease);
    }

    [Theory]
    [InlineData("v26.12.05.1", "v26.12.04.7")] // first of its day: below that day's .1, above the day before
    [InlineData("v26.12.05.2", "v26.12.05.1")] // the day has .1 already: below .2, above .1
    public void A_pre_release_sorts_below_the_next_release_and_above_the_previous_one(string next, string previous)
    {
        var pre = NuGetVersion.Parse(CalVerPackageVersion.ForPreRelease(CalVerTag.Parse(next), 12, Commit));

        Assert.True(
            pre < NuGetVersion.Parse(CalVerPackageVersion.ForRelease(CalVerTag.Parse(next))),
            $"{pre} must sort below {next}"
        );
        Assert.True(
            pre > NuGetVersion.Parse(CalVerPackageVersion.ForRelease(CalVerTag.Parse(previous))),
            $"{pre} must sort above {previous}"
        );
    }

    [Fact]
    public void More_commits_sort_higher_numerically_not_as_text()
    {
        var next = CalVerTag.Parse("v26.12.05.1");
        Assert.True(
            NuGetVersion.Parse(CalVerPackageVersion.ForPreRelease(next, 10, Commit))
                > NuGetVersion.Parse(CalVerPackageVersion.ForPreRelease(next, 9, "ffffffff"))
        );
    }

    [Fact]
    public void An_all_digit_abbreviation_gets_a_g_so_the_version_stays_valid_semver()
    {
        var version = CalVerPackageVersion.ForPreRelease(CalVerTag.Parse("v26.12.05.1"), 1, "0123456789abcdef");

        Assert.Equal("26.12.5-ci.1.g0123456", version);
        Assert.True(NuGetVersion.TryParse(version, out _));
    }

    [Theory]
    [InlineData("xyz1234")]
    [InlineData("12345")]
    public void Something_that_is_not_a_commit_id_is_refused(string commit) =>
        Assert.Throws<ArgumentException>(() =>
            CalVerPackageVersion.ForPreRelease(CalVerTag.Parse("v26.12.05.1"), 1, commit)
        );
}
