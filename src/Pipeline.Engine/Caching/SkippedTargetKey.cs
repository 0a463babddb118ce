using System.Security.Cryptography;
using System.Text;
using Pipeline.Engine.Paths;
using Pipeline.Engine.Results;
using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Caching;

/// <summary>
/// A target skipped with --skip did not run here, so it has no cache key of its own; its dependents' keys need one all
/// the same, or a dependent would be served an entry made from another run's products (<c>Coverage --skip Test</c>
/// replaying the verdict of an older test run). The key is the content of what the target left: its products, its
/// declared outputs and its typed result files.
/// </summary>
internal static class SkippedTargetKey
{
    public static string Of(AbsolutePath root, BuildTarget target)
    {
        var results = ResultStore.DirectoryOf(root).RelativeTo(root).Replace('\\', '/');
        var globs = target
            .Definition.Products.Concat(target.Definition.CacheInputs?.ExtraOutputs ?? [])
            .Append($"{results}/{target.Name}.*");
        var files = InputFiles.Match(root, globs, outputs: true);
        var left = string.Join("\n", files.Select(file => $"{file} {InputFiles.Hash(root / file)}"));
        return "skipped:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(left)));
    }
}
