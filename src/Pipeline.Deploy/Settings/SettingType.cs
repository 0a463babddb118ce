namespace Pipeline.Deploy.Settings;

/// <summary>
/// How a setting's text becomes a value, what a bad value is told it is not (<see cref="Expected"/>: "a port
/// (1-65535)", so the line reads "'x' is not a port (1-65535)"), and how a value is written back (defaults in docs).
/// </summary>
public sealed class SettingType<T>(string expected, Func<string, (bool Valid, T Value)> parse)
{
    public string Expected { get; } = expected;

    public Func<string, (bool Valid, T Value)> Parse { get; } = parse;

    /// <summary>
    /// For values with parts (lists): the problem of each bad part, one line each ("'src/a**/x' has ** inside a
    /// name"); null: a bad value is one line, "'x' is not " + <see cref="Expected"/>.
    /// </summary>
    public Func<string, IEnumerable<string>>? Problems { get; init; }

    public Func<T, string> Format { get; init; } =
        value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
}
