namespace Pipeline.Testing.Quality;

/// <summary>The checkout this test assembly was built from (the folder holding Pipeline.sln).</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Fixtures => System.IO.Path.Combine(Path, "tests", "data", "fixtures");

    /// <summary>Tool caches shared by test runs, like the build's own (<c>.nuke/temp/tools</c>, git-ignored).</summary>
    public static string ToolCache => System.IO.Path.Combine(Path, ".nuke", "temp", "tools");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Pipeline.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException($"no Pipeline.sln above {AppContext.BaseDirectory}");
    }
}
