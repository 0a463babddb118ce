namespace Pipeline.Engine.Cli;

/// <summary>The literals a switch accepts as an explicit value, on the command line and nowhere else.</summary>
internal static class SwitchValue
{
    public const string Accepted = "true/false/1/0/yes/no";

    public static bool? Parse(string text) =>
        text.ToLowerInvariant() switch
        {
            "true" or "1" or "yes" => true,
            "false" or "0" or "no" => false,
            _ => null,
        };

    public static bool IsLiteral(string text) => Parse(text) is not null;
}
