using Pipeline.Engine;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Paths;

namespace Pipeline.Components.Quality;

/// <summary>The solution the quality targets (Lint, Test, Coverage) work on.</summary>
public interface IHazSolution : IPipelineBuild
{
    [Parameter("Solution or project for Lint and Test (default: the only *.sln/*.slnx in the root)")]
    string? Solution => this.Get(() => Solution);

    /// <summary>The resolved solution file; a missing or ambiguous one fails with what to pass instead.</summary>
    AbsolutePath SolutionFile => SolutionLocator.Resolve(RootDirectory, Solution);
}
