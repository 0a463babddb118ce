using Pipeline.Components.Quality;
using Pipeline.Engine;
using Pipeline.Engine.Paths;

namespace Pipeline.Components.Tests.Quality;

/// <summary>A build with all three quality components, as this repository's own build has them.</summary>
public sealed class QualityBuild : PipelineBuild, ILint, ICoverage
{
    // One secretlint install for all test runs, in this checkout's own tool cache.
    AbsolutePath ILint.LintToolsDirectory => new(Pipeline.Testing.Quality.RepositoryRoot.ToolCache);
}

/// <summary>A build with Test only: no coverage is collected.</summary>
public sealed class TestOnlyBuild : PipelineBuild, ITest;
