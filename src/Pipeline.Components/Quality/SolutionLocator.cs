using Pipeline.Engine.Execution;
using Pipeline.Engine.Paths;

namespace Pipeline.Components.Quality;

/// <summary>Finds the solution to lint and test: the given one, or the only one at the root.</summary>
public static class SolutionLocator
{
    public static AbsolutePath Resolve(AbsolutePath root, string? given)
    {
        if (!string.IsNullOrWhiteSpace(given))
        {
            var path = Path.IsPathRooted(given) ? new AbsolutePath(given) : root / given;
            return path.Exists
                ? path
                : throw new BuildFailure($"Parameter Solution: '{given}' does not exist under {root}");
        }

        var candidates = Directory
            .EnumerateFiles(root, "*.sln")
            .Concat(Directory.EnumerateFiles(root, "*.slnx"))
            .Order(StringComparer.Ordinal)
            .ToList();
        return candidates.Count switch
        {
            1 => new AbsolutePath(candidates[0]),
            0 => throw new BuildFailure($"No *.sln or *.slnx in {root}; pass --solution <path>"),
            _ => throw new BuildFailure(
                $"Several solutions in {root} "
                    + $"({string.Join(", ", candidates.Select(Path.GetFileName))}); pick one with --solution"
            ),
        };
    }
}
