using System.Text;
using Pipeline.Engine.Paths;

namespace Pipeline.Engine.Caching;

/// <summary>
/// Text outputs (TRX, Cobertura, JSON reports) name the absolute root they were made in. An entry stores them with
/// the root replaced by a token and gets the restoring clone's root back, so a second clone's reports point at its
/// own files. Digests are over the stored (tokenised) bytes.
/// </summary>
internal static class RootRelocation
{
    private const string Token = "${PIPELINE_ROOT}";
    private static readonly HashSet<string> TextExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".xml",
        ".trx",
        ".json",
        ".md",
        ".txt",
        ".html",
        ".htm",
        ".csv",
        ".log",
    };

    public static byte[] ForStore(string path, AbsolutePath root) =>
        Applies(path)
            ? Encoding.UTF8.GetBytes(File.ReadAllText(path).Replace(root.Value, Token, StringComparison.Ordinal))
            : File.ReadAllBytes(path);

    public static void Restore(string stagedFile, string destination, AbsolutePath root)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        if (Applies(destination))
            File.WriteAllText(
                destination,
                File.ReadAllText(stagedFile).Replace(Token, root.Value, StringComparison.Ordinal)
            );
        else
            File.Copy(stagedFile, destination, overwrite: true);
    }

    private static bool Applies(string path) => TextExtensions.Contains(Path.GetExtension(path));
}
