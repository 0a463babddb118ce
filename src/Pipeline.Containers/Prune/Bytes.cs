using System.Globalization;

namespace Pipeline.Containers.Prune;

/// <summary>Human sizes for logs and summaries (1.5 MB, 820 kB), decimal units as Docker prints them.</summary>
public static class Bytes
{
    public static string Format(long bytes)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }

        return unit == 0
            ? $"{bytes} B"
            : value.ToString(value < 10 ? "0.##" : "0.#", CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
