namespace Pipeline.Processes;

/// <summary>Finds an executable the way a shell would: a path (absolute or with a folder) as is, else the first match on PATH.</summary>
public static class ToolLocator
{
    public static string? Find(string name, Func<string, string?>? environment = null)
    {
        if (name.Length == 0) return null;
        if (Path.IsPathRooted(name) || name.Contains(Path.DirectorySeparatorChar)) return File.Exists(name) ? name : null;
        var path = (environment ?? System.Environment.GetEnvironmentVariable)("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);
    }

    public static bool IsInstalled(string name, Func<string, string?>? environment = null) => Find(name, environment) is not null;
}
