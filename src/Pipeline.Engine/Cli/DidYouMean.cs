using Pipeline.Engine.Parameters;

namespace Pipeline.Engine.Cli;

/// <summary>Suggests the closest known name for a mistyped one (edit distance, case-insensitive).</summary>
internal static class DidYouMean
{
    public static string? Suggest(string typed, IEnumerable<string> known)
    {
        var best = known
            .Select(k => (Name: k, Distance: Distance(ParameterNames.Normalize(typed), ParameterNames.Normalize(k))))
            .OrderBy(k => k.Distance)
            .FirstOrDefault();
        return best.Name is not null && best.Distance <= Math.Max(2, typed.Length / 3) ? best.Name : null;
    }

    public static string Hint(string typed, IEnumerable<string> known) =>
        Suggest(typed, known) is { } s ? $" (did you mean '{s}'?)" : "";

    private static int Distance(string a, string b) => Quickenshtein.Levenshtein.GetDistance(a, b);
}
