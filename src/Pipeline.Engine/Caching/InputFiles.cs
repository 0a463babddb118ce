using System.Security.Cryptography;
using Microsoft.Extensions.FileSystemGlobbing;
using Pipeline.Engine.Paths;

namespace Pipeline.Engine.Caching;

/// <summary>Files matching globs under the root, by relative path (forward slashes) and content hash; build outputs are
/// never inputs (but may be outputs).</summary>
internal static class InputFiles
{
    private static readonly string[] NeverInputs =
    [
        "**/bin/**",
        "**/obj/**",
        ".git/**",
        ".nuke/**",
        "artifacts/**",
        "**/node_modules/**",
    ];

    public static IReadOnlyList<string> Match(AbsolutePath root, IEnumerable<string> globs, bool outputs = false)
    {
        var matcher = new Matcher(StringComparison.Ordinal);
        foreach (var glob in globs)
            matcher.AddInclude(glob);
        matcher.AddExcludePatterns(outputs ? [".git/**"] : NeverInputs);
        return matcher
            .GetResultsInFullPath(root)
            .Select(p => Path.GetRelativePath(root, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    public static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
