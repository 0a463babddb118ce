using Pipeline.Engine.Caching;
using Pipeline.Engine.Execution;

namespace Pipeline.Engine.Report;

/// <summary>One tool the run started and its version (the first line of its <c>--version</c>).</summary>
internal sealed record RunTool(string Name, string Path, string Version);

/// <summary>
/// The tools this run started (recorded as each process starts, never read from the log), with their versions from the
/// memo the cache keys use: a binary is asked <c>--version</c> once per machine until it changes, so a warm run pays a
/// file read. A tool that does not answer within <see cref="Deadline"/> is listed without a version.
/// </summary>
internal static class RunTools
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2);

    public static IReadOnlyList<RunTool> Of(BuildContext context)
    {
        // A snapshot: asking --version starts processes too, and those must not join the list being read.
        var started = context.ToolsStarted?.Keys.Order(StringComparer.Ordinal).ToList() ?? [];
        var named = started
            .GroupBy(p => System.IO.Path.GetFileName(p), StringComparer.Ordinal)
            .Select(g => (Name: g.Key!, Path: g.First()))
            .Where(t => t.Name.Length > 0)
            .ToList();
        if (named.Count == 0)
            return [];
        var versions = context.Cache?.Tools;
        var asked = named
            .Select(async t => new RunTool(
                t.Name,
                t.Path,
                versions is null ? ""
                    : Own(context, t.Path) ? "(a file of this checkout or a temporary folder: not asked)"
                    : await Version(versions, t.Path)
            ))
            .ToArray();
        return Task.WhenAll(asked).GetAwaiter().GetResult();
    }

    /// <summary>A script of the repository or a stand-in a test wrote: asking it --version could do anything it
    /// does.</summary>
    private static bool Own(BuildContext context, string path)
    {
        if (!System.IO.Path.IsPathRooted(path))
            return path.Contains('/', StringComparison.Ordinal); // ./build.sh; "git" is looked up on PATH
        var full = System.IO.Path.GetFullPath(path);
        return full.StartsWith(context.RootDirectory + "/", StringComparison.Ordinal)
            || full.StartsWith(System.IO.Path.GetTempPath(), StringComparison.Ordinal);
    }

    private static async Task<string> Version(ToolVersions versions, string path)
    {
        try
        {
            return await versions.VersionAsync(path, Deadline);
        }
        catch (BuildFailure)
        {
            return "(no answer to --version within 2 s)";
        }
    }
}
