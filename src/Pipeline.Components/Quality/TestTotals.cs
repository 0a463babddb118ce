using Pipeline.Engine;

namespace Pipeline.Components.Quality;

/// <summary>What Test ran, as <see cref="ITest.TestTotals"/>: counts over every test project, and where the TRX/JUnit files are.</summary>
public sealed record TestTotals(int Passed, int Failed, int Skipped, IReadOnlyList<string> Projects, AbsolutePath ResultsDirectory);
