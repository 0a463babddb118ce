using System.Text.RegularExpressions;
using Pipeline.Testing.Quality;

namespace Pipeline.Quality.Tests.Secrets;

/// <summary>
/// The fake token planted in the lint fixture, read from the fixture so no test source holds a copy
/// (this repository's own secret scan ignores only tests/data/fixtures/).
/// </summary>
public static partial class PlantedSecret
{
    public static string Value { get; } =
        Token().Match(File.ReadAllText(Path.Combine(RepositoryRoot.Fixtures, "lint", "config", "settings.json"))).Value;

    [GeneratedRegex("ghp_[A-Za-z0-9]{36}")]
    private static partial Regex Token();
}
