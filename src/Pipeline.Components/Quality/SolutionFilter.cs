using System.Text.Json;
using Pipeline.Engine.Paths;

namespace Pipeline.Components.Quality;

/// <summary>Writes a solution filter (.slnf) naming some projects of a solution, so one <c>dotnet test</c> runs exactly
/// those.</summary>
internal static class SolutionFilter
{
    public static AbsolutePath Write(AbsolutePath solution, IEnumerable<AbsolutePath> projects, AbsolutePath filter)
    {
        filter.Parent.CreateDirectory();
        var document = new
        {
            solution = new
            {
                // The solution path is relative to the filter; project paths are relative to the solution, as Visual
                // Studio writes them.
                path = Path.GetRelativePath(filter.Parent, solution).Replace('\\', '/'),
                projects = projects.Select(p => Path.GetRelativePath(solution.Parent, p).Replace('/', '\\')).ToArray(),
            },
        };
        File.WriteAllText(
            filter,
            JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true })
        );
        return filter;
    }
}
