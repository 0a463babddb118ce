namespace Pipeline.Engine.Preflight;

/// <summary><c>host</c>, <c>host:port</c> or <c>[v6]:port</c>, with ASCII digits only in the port: the shape registry
/// settings take.</summary>
internal static class HostAndPort
{
    public static bool IsValid(string text)
    {
        string host;
        string? port = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0)
                return false;
            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                    return false;
                port = rest[1..];
            }

            if (Uri.CheckHostName(host) != UriHostNameType.IPv6)
                return false;
        }
        else
        {
            var colon = text.IndexOf(':');
            host = colon < 0 ? text : text[..colon];
            if (colon >= 0)
                port = text[(colon + 1)..];
            if (Uri.CheckHostName(host) is UriHostNameType.Unknown or UriHostNameType.IPv6)
                return false;
        }

        return port is null
            || (
                port.Length is > 0 and <= 5
                && port.All(char.IsAsciiDigit)
                && int.Parse(port, System.Globalization.CultureInfo.InvariantCulture) is >= 1 and <= 65535
            );
    }
}
