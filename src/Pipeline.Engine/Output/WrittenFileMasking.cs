using Pipeline.Engine.Paths;

namespace Pipeline.Engine.Output;

/// <summary>
/// The files a run leaves for upload (artifacts/: records, summaries, test results, release notes) get the same masking
/// as the console: adapters write them without the engine, so after the targets ran every text file written during the
/// run is masked in place. Binary files (image archives; any NUL byte in the first 8 KiB) are left alone.
/// </summary>
internal static class WrittenFileMasking
{
    private const long MaximumSize = 64L * 1024 * 1024;

    /// <summary>Masks the text files under <paramref name="folder"/> changed at or after <paramref name="since"/>;
    /// returns how many changed.</summary>
    public static int Apply(AbsolutePath folder, DateTime since, SecretMasker masker)
    {
        if (masker.Values.Count == 0 || !Directory.Exists(folder))
            return 0;
        var changed = 0;
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var info = new FileInfo(file);
            if (
                info.LastWriteTimeUtc < since
                || info.Length > MaximumSize
                || info.LinkTarget is not null
                || IsBinary(file)
            )
                continue;
            var text = File.ReadAllText(file);
            var masked = masker.Mask(text);
            if (masked == text)
                continue;
            File.WriteAllText(file, masked);
            changed++;
        }

        return changed;
    }

    private static bool IsBinary(string file)
    {
        using var stream = File.OpenRead(file);
        var head = new byte[8192];
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return Array.IndexOf(head, (byte)0, 0, read) >= 0;
    }
}
