using Pipeline.Engine.Output;
using Pipeline.Engine.Paths;
using Pipeline.Git;
using Pipeline.Git.Cli;
using Pipeline.Quality.Solutions;

namespace Pipeline.Components.Quality;

/// <summary>
/// What Lint's format pass checks. Where the compile already enforces code style and analyzers
/// (<c>EnforceCodeStyleInBuild</c> in the root Directory.Build.props), a second pass over them would only cost a minute
/// of restore and workspace loading, so Lint checks whitespace of the C# files in seconds; elsewhere it runs the whole
/// <c>dotnet format</c>.
/// </summary>
internal static class LintScope
{
    public static bool CompileEnforcesStyle(AbsolutePath root)
    {
        var props = root / "Directory.Build.props";
        return File.Exists(props)
            && File.ReadAllText(props)
                .Contains(
                    "<EnforceCodeStyleInBuild>true</EnforceCodeStyleInBuild>",
                    StringComparison.OrdinalIgnoreCase
                );
    }

    /// <summary>The C# files git would commit under the solution's project folders (fixtures and samples elsewhere are
    /// not the build's code).</summary>
    public static async Task<IReadOnlyList<string>> CSharpFilesAsync(AbsolutePath solution, AbsolutePath root)
    {
        var folders = SolutionProjects
            .Of(solution)
            .Select(p => Relative(root, Path.GetDirectoryName(p)!))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        IReadOnlyList<string> files;
        try
        {
            files = await new GitRepository(root, Log.Logger).WorkingFilesAsync("*.cs");
        }
        catch (GitException)
        {
            // Not a git working tree: every C# file below the root, build output left out.
            files = Directory
                .EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
                .Select(f => Relative(root, f))
                .Where(f => !f.Split('/').Any(part => part is "bin" or "obj"))
                .ToList();
        }

        return files
            .Where(f => folders.Any(folder => folder == "." || f.StartsWith(folder + "/", StringComparison.Ordinal)))
            .ToList();
    }

    private static string Relative(AbsolutePath root, string path) =>
        Path.GetRelativePath(root, path).Replace('\\', '/');
}
