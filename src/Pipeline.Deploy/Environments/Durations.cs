using System.Globalization;

namespace Pipeline.Deploy.Environments;

/// <summary>Durations as people write them in config files: <c>500ms</c>, <c>30s</c>, <c>2m</c>, <c>1h</c>.</summary>
internal static class Durations
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        var trimmed = text.Trim();
        var (unit, scale) =
            trimmed.EndsWith("ms", StringComparison.Ordinal) ? ("ms", 1.0)
            : trimmed.EndsWith('s') ? ("s", 1000.0)
            : trimmed.EndsWith('m') ? ("m", 60_000.0)
            : trimmed.EndsWith('h') ? ("h", 3_600_000.0)
            : ("", 0);
        if (
            scale == 0
            || !double.TryParse(
                trimmed[..^unit.Length],
                NumberStyles.AllowDecimalPoint,
                CultureInfo.InvariantCulture,
                out var amount
            )
        )
            return false;
        duration = TimeSpan.FromMilliseconds(amount * scale);
        return true;
    }

    public static string Format(TimeSpan duration) =>
        duration.TotalSeconds >= 1 ? $"{duration.TotalSeconds:0.#}s" : $"{duration.TotalMilliseconds:0}ms";
}
