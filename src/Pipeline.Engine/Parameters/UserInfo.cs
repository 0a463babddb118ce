using System.Text.RegularExpressions;

namespace Pipeline.Engine.Parameters;

/// <summary>The password of <c>user:password@host</c> (with or without a scheme) inside a parameter's value, if
/// any.</summary>
internal static partial class UserInfo
{
    public static string? PasswordIn(IEnumerable<string> values)
    {
        foreach (var value in values)
        {
            // Most values hold no '@': skipping the regex for them spares every start the regex engine's first use.
            if (!value.Contains('@', StringComparison.Ordinal))
                continue;
            var match = Credentials().Match(value);
            if (match.Success)
                return match.Groups["password"].Value;
        }

        return null;
    }

    // At the start of the value or after "scheme://": a user, a colon, a password, then "@" and a host; no "/" before
    // the "@".
    [GeneratedRegex(@"(?:^|://)[^/@\s:]+:(?<password>[^/@\s]+)@[^/@\s]")]
    private static partial Regex Credentials();
}
