using Pipeline.Engine.Paths;

namespace Pipeline.Components.Quality;

/// <summary>Test's cache before the run: restored projects, projects to run, and what to run them from (null: the
/// solution).</summary>
internal sealed record TestCacheState(
    IReadOnlyList<TestPart> Hits,
    IReadOnlyList<TestPart> Missed,
    AbsolutePath? RunTarget
);
