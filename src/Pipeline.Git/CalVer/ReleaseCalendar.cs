namespace Pipeline.Git.CalVer;

/// <summary>Which calendar day a release belongs to: UTC unless a time zone is configured (a team in UTC+10 releases
/// "tomorrow" at 01:00 local).</summary>
public static class ReleaseCalendar
{
    public static DateOnly Today(DateTimeOffset now, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);

    /// <summary>
    /// Resolves an IANA (or Windows) zone id; empty means UTC. <paramref name="source"/> names the parameter for the
    /// error. The one check of every time-zone value: the id is checked for shape first, so a region ("Europe") or a
    /// path never reaches the system's zone files (where it reads as a folder or a file outside them).
    /// </summary>
    public static TimeZoneInfo ResolveZone(string? id, string source = "time zone")
    {
        if (string.IsNullOrWhiteSpace(id) || id.Equals("UTC", StringComparison.OrdinalIgnoreCase) || id == "Etc/UTC")
            return TimeZoneInfo.Utc;
        var trimmed = id.Trim();
        var unknown = $"{source}: unknown time zone '{id}' (use an IANA id such as 'Europe/Paris' or 'UTC')";
        if (!IsZoneIdShape(trimmed))
            throw new ArgumentException(unknown);
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(trimmed);
        }
        catch (Exception e)
            when (e
                    is TimeZoneNotFoundException
                        or InvalidTimeZoneException
                        or UnauthorizedAccessException
                        or IOException
                        or System.Security.SecurityException
                        or ArgumentException
            )
        {
            throw new ArgumentException(unknown, e);
        }
    }

    // IANA ids are words of letters, digits, '_', '-', '+' joined by '/' (America/Argentina/Buenos_Aires, Etc/GMT+5);
    // Windows ids are words with spaces and dots ("W. Europe Standard Time"). No "..", no leading '/'.
    private static bool IsZoneIdShape(string id) =>
        id.Length <= 64
        && !id.StartsWith('/')
        && !id.EndsWith('/')
        && !id.Contains("..", StringComparison.Ordinal)
        && !id.Contains("//", StringComparison.Ordinal)
        && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '-' or '+' or ' ' or '.' or '(' or ')');
}
