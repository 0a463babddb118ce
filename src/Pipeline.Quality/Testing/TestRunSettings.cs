namespace Pipeline.Quality.Testing;

/// <summary>What to test and where the reports go.</summary>
public sealed record TestRunSettings(string Target, string ResultsDirectory)
{
    /// <summary>Directory <c>dotnet test</c> runs in and that failure locations are made relative to.</summary>
    public string WorkingDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>Collect line coverage with coverlet's data collector in the same run (Cobertura).</summary>
    public bool CollectCoverage { get; init; } = true;

    /// <summary>Keep what is already in the results directory (results restored from a cache) instead of starting
    /// empty.</summary>
    public bool KeepResults { get; init; }

    public string Configuration { get; init; } = "Debug";

    /// <summary>A <c>dotnet test --filter</c> expression, e.g. <c>Category!=Slow</c>.</summary>
    public string? Filter { get; init; }

    /// <summary>Extra <c>dotnet test</c> arguments, passed as given.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>
    /// The test projects to run, in the order to start them. With more than one, <see cref="Target"/> is compiled once
    /// and each project then runs from its build (<c>dotnet test --no-build</c>), <see cref="ProjectsAtOnce"/> at a
    /// time; empty: one <c>dotnet test</c> of <see cref="Target"/>, which builds and runs its projects in MSBuild's
    /// order.
    /// </summary>
    public IReadOnlyList<string> Projects { get; init; } = [];

    /// <summary>How many of <see cref="Projects"/> run side by side; 0: one per core.</summary>
    public int ProjectsAtOnce { get; init; }

    /// <summary>Extra environment for the run; a null value removes the variable.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();
}
