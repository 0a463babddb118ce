namespace Pipeline.Processes;

/// <summary>
/// Finds an executable the way a shell would: a path (absolute or with a folder) as is, else the first match on PATH,
/// then the sbin folders, where Debian puts daemons (haproxy, docker-registry) that a non-root PATH leaves out.
/// </summary>
public static class ToolLocator
{
    private static readonly string[] SystemFolders = ["/usr/local/sbin", "/usr/sbin", "/sbin"];

    public static string? Find(string name, Func<string, string?>? environment = null)
    {
        if (name.Length == 0)
            return null;
        if (Path.IsPathRooted(name) || name.Contains(Path.DirectorySeparatorChar))
            return File.Exists(name) ? name : null;
        var path = (environment ?? System.Environment.GetEnvironmentVariable)("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(path.Length == 0 ? [] : SystemFolders)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);
    }

    public static bool IsInstalled(string name, Func<string, string?>? environment = null) =>
        Find(name, environment) is not null;
}
