using Pipeline.Git.CalVer;

namespace Pipeline.Git.Tests.CalVer;

public sealed class ReleaseCalendarTests
{
    private static readonly DateTimeOffset LateUtcEvening = new(2026, 11, 22, 23, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Utc_is_the_default_day() =>
        Assert.Equal(
            new DateOnly(2026, 11, 22),
            ReleaseCalendar.Today(LateUtcEvening, ReleaseCalendar.ResolveZone(null))
        );

    [Theory]
    [InlineData("Pacific/Auckland", 2026, 11, 23)] // UTC+13 in November: already tomorrow
    [InlineData("America/Los_Angeles", 2026, 11, 22)]
    [InlineData("Europe/Paris", 2026, 11, 23)] // 00:30 local
    [InlineData("UTC", 2026, 11, 22)]
    public void A_time_zone_moves_the_day_boundary(string zone, int year, int month, int day) =>
        Assert.Equal(
            new DateOnly(year, month, day),
            ReleaseCalendar.Today(LateUtcEvening, ReleaseCalendar.ResolveZone(zone))
        );

    [Fact]
    public void An_unknown_zone_is_a_one_line_error_naming_its_source()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            ReleaseCalendar.ResolveZone("Mars/Olympus", "--release-time-zone")
        );
        Assert.StartsWith("--release-time-zone: unknown time zone 'Mars/Olympus'", error.Message);
    }
}
