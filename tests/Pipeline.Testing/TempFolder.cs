namespace Pipeline.Testing;

/// <summary>
/// A private folder under the system temp folder, deleted with everything in it when the test ends.
/// <code>using var temp = new TempFolder(); File.WriteAllText(temp["a.txt"], "x");</code>
/// </summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix = "pipeline-test-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Path { get; }

    /// <summary>The path of <paramref name="relative"/> inside this folder (nothing is created).</summary>
    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    /// <summary>Writes <paramref name="content"/> to <paramref name="relative"/>, creating its folders; returns the
    /// full path.</summary>
    public string Write(string relative, string content)
    {
        var full = this[relative];
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public override string ToString() => Path;

    public void Dispose() => DeleteQuietly(Path);

    /// <summary>
    /// Deletes <paramref name="path"/> and everything in it. Folders that git, podman or a test left without write
    /// permission (and read-only files on Windows) are opened up first; a file a dying process still holds is left
    /// to the OS temp cleaner rather than failing the test.
    /// </summary>
    public static void DeleteQuietly(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            try
            {
                OpenUp(new DirectoryInfo(path));
                Directory.Delete(path, recursive: true);
            }
            catch (Exception again) when (again is UnauthorizedAccessException or IOException)
            {
                // Still held by a process that is going away: the folder is under the temp folder either way.
            }
        }
    }

    private static void OpenUp(DirectoryInfo folder)
    {
        if (!folder.Exists || folder.LinkTarget is not null)
            return;
        if (OperatingSystem.IsWindows())
            folder.Attributes &= ~FileAttributes.ReadOnly;
        else
            folder.UnixFileMode |= UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        foreach (var entry in folder.EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo child)
                OpenUp(child);
            else if (OperatingSystem.IsWindows() && entry.LinkTarget is null)
                entry.Attributes &= ~FileAttributes.ReadOnly;
        }
    }
}
