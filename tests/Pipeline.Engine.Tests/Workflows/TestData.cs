namespace Pipeline.Engine.Tests.Workflows;

/// <summary>Finds <c>tests/data/</c> by walking up from the test binaries, so the schema is read where it is
/// committed.</summary>
internal static class TestData
{
    public static string File(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "data", name);
            if (System.IO.File.Exists(candidate))
                return candidate;
        }

        throw new FileNotFoundException($"tests/data/{name} not found above {AppContext.BaseDirectory}");
    }
}
