using Pipeline.Git.CalVer;

namespace Pipeline.Git.Tests.CalVer;

public sealed class CalVerTagTests
{
    [Theory]
    [InlineData("v26.11.22.1", 2026, 11, 22, 1)]
    [InlineData("v26.01.05.12", 2026, 1, 5, 12)]
    [InlineData("v00.02.29.3", 2000, 2, 29, 3)]
    [InlineData("v99.12.31.99999", 2099, 12, 31, 99999)]
    public void Parses_four_part_tags_with_zero_padded_dates(string text, int year, int month, int day, int index)
    {
        Assert.True(CalVerTag.TryParse(text, out var tag));
        Assert.Equal(new DateOnly(year, month, day), tag.Date);
        Assert.Equal(index, tag.Index);
        Assert.Equal(text, tag.ToString());
    }

    [Theory]
    [InlineData("v1.2.3")] // SemVer
    [InlineData("v26.11.22")] // three parts
    [InlineData("26.11.22.1")] // no v
    [InlineData("v26.1.22.1")] // month not padded
    [InlineData("v26.11.22.01")] // index padded
    [InlineData("v26.11.22.0")] // index from 1
    [InlineData("v26.13.01.1")] // month 13
    [InlineData("v26.02.30.1")] // no such day
    [InlineData("v25.02.29.1")] // not a leap year
    [InlineData("v26.11.22.1-rc1")] // suffixes are not CalVer
    [InlineData("v26.11.22.123456")] // beyond the index ceiling
    [InlineData(" v26.11.22.1")]
    [InlineData("v２６.11.22.1")] // full-width digits: \d would take them, [0-9] does not
    [InlineData("v26.11.22.٣")] // Arabic-Indic digit
    [InlineData("v26.11.22.99999999999999999999")]
    [InlineData("")]
    public void Rejects_everything_else(string text)
    {
        Assert.False(CalVerTag.TryParse(text, out _));
        var error = Assert.Throws<FormatException>(() => CalVerTag.Parse(text, "--release-tag"));
        Assert.StartsWith("--release-tag: ", error.Message);
        Assert.Contains("vYY.MM.DD.i", error.Message);
    }

    [Fact]
    public void Orders_by_date_then_numerically_by_index_not_as_text()
    {
        var tags = new[] { "v26.11.22.10", "v26.11.22.9", "v26.11.21.30", "v26.12.01.1", "v25.12.31.2" }
            .Select(t => CalVerTag.Parse(t))
            .Order()
            .Select(t => t.ToString());
        Assert.Equal(["v25.12.31.2", "v26.11.21.30", "v26.11.22.9", "v26.11.22.10", "v26.12.01.1"], tags);
    }

    [Fact]
    public void Next_of_a_day_is_one_past_its_highest_index_and_ignores_other_days_and_other_schemes()
    {
        var day = new DateOnly(2026, 11, 22);
        var existing = new[] { "v26.11.22.1", "v26.11.22.3", "v26.11.21.7", "v1.0.0", "latest", "v26.11.22.03" };
        Assert.Equal("v26.11.22.4", CalVerSequence.Next(existing, day).ToString());
        Assert.Equal("v26.11.23.1", CalVerSequence.Next(existing, day.AddDays(1)).ToString());
        Assert.Equal("v26.11.22.1", CalVerSequence.Next([], day).ToString());
    }

    [Fact]
    public void Previous_is_the_newest_older_calver_tag()
    {
        var existing = new[] { "v26.11.22.1", "v26.11.22.2", "v26.11.20.5", "v26.11.23.1", "v9.9.9" };
        Assert.Equal("v26.11.22.1", CalVerSequence.Previous(existing, CalVerTag.Parse("v26.11.22.2"))?.ToString());
        Assert.Equal("v26.11.20.5", CalVerSequence.Previous(existing, CalVerTag.Parse("v26.11.22.1"))?.ToString());
        Assert.Null(CalVerSequence.Previous(existing, CalVerTag.Parse("v26.11.20.5")));
    }
}
