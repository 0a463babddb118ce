namespace Pipeline.Setup;

/// <summary>
/// Writes a set of files all or nothing: each goes to a temp file beside its target first (so an unwritable folder
/// fails before any target changes), then every temp file is renamed over its target. build.sh gets its execute bit.
/// </summary>
internal static class FileTransaction
{
    public static void Write(string root, IReadOnlyList<(string Relative, string Text)> files)
    {
        var staged = new List<(string Temp, string Target)>();
        try
        {
            foreach (var (relative, text) in files)
            {
                var target = Path.Combine(root, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                var temp = target + ".pipeline-setup.tmp";
                File.WriteAllText(temp, text);
                if (!OperatingSystem.IsWindows() && relative.EndsWith(".sh", StringComparison.Ordinal))
                    File.SetUnixFileMode(
                        temp,
                        File.GetUnixFileMode(temp)
                            | UnixFileMode.UserExecute
                            | UnixFileMode.GroupExecute
                            | UnixFileMode.OtherExecute
                    );
                staged.Add((temp, target));
            }
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            foreach (var (temp, _) in staged)
                File.Delete(temp);
            RemoveEmptyFolders(root, files);
            throw new SetupFailure($"cannot write in {root}: {e.Message.Split('\n')[0]} (nothing was written)");
        }

        foreach (var (temp, target) in staged)
            File.Move(temp, target, overwrite: true);
    }

    private static void RemoveEmptyFolders(string root, IReadOnlyList<(string Relative, string Text)> files)
    {
        foreach (
            var folder in files
                .Select(f => Path.GetDirectoryName(Path.Combine(root, f.Relative))!)
                .Distinct()
                .OrderByDescending(f => f.Length)
        )
        {
            try
            {
                if (folder != root && Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
                    Directory.Delete(folder);
            }
            catch (IOException)
            {
                // left as it was
            }
        }
    }
}
