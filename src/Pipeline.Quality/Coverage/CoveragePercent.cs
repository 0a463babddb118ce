using System.Globalization;

namespace Pipeline.Quality.Coverage;

public static class CoveragePercent
{
    /// <summary>One decimal, rounded down, so 79.96% never prints as a passing "80.0%".</summary>
    public static string Format(double percent) =>
        (Math.Floor(percent * 10) / 10).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
