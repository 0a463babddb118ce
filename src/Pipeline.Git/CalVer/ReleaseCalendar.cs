namespace Pipeline.Git.CalVer;

/// <summary>Which calendar day a release belongs to: UTC unless a time zone is configured (a team in UTC+10 releases "tomorrow" at 01:00 local).</summary>
public static class ReleaseCalendar
{
    public static DateOnly Today(DateTimeOffset now, TimeZoneInfo zone)
        => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);

    /// <summary>Resolves an IANA (or Windows) zone id; empty means UTC. <paramref name="source"/> names the parameter for the error.</summary>
    public static TimeZoneInfo ResolveZone(string? id, string source = "time zone")
    {
        if (string.IsNullOrWhiteSpace(id) || id.Equals("UTC", StringComparison.OrdinalIgnoreCase) || id == "Etc/UTC") return TimeZoneInfo.Utc;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ArgumentException($"{source}: unknown time zone '{id}' (use an IANA id such as 'Europe/Paris' or 'UTC')", e);
        }
    }
}
