using Microsoft.Extensions.FileSystemGlobbing;
using Microsoft.Extensions.Logging;
using Pipeline.Processes;

namespace Pipeline.Quality.Secrets;

/// <summary>
/// The files a secret scan looks at: what git tracks plus new files not ignored (a secret about to be committed
/// counts too), minus the patterns in <c>.secretlintignore</c> (planted test secrets, fixtures).
/// </summary>
internal static class TrackedFiles
{
    public const string IgnoreFileName = ".secretlintignore";

    public static async Task<IReadOnlyList<string>> ListAsync(
        string rootDirectory,
        ILogger logger,
        CancellationToken cancellationToken = default
    )
    {
        var request = new ProcessRequest("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"])
        {
            WorkingDirectory = rootDirectory,
            Timeout = TimeSpan.FromMinutes(2),
        };
        var output = await ProcessRunner.RunAsync(request.LoggingTo(logger, echoOutput: false), cancellationToken);
        if (output.ExitCode != 0)
        {
            throw new QualityToolException(
                $"cannot list the tracked files of {rootDirectory} (git exited with "
                    + $"{output.ExitCode}: {output.Tail(1)}); the secret scan needs a git work tree"
            );
        }

        var ignore = LoadIgnore(rootDirectory);
        return output
            .StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(f => f.Trim('\n', '\r'))
            .Where(f => f.Length > 0)
            .Distinct(StringComparer.Ordinal)
            // Deleted-but-still-tracked files and submodule folders have nothing to read.
            .Where(f => File.Exists(Path.Combine(rootDirectory, f)))
            .Where(f => ignore is null || !ignore.Match(f).HasMatches)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Reads gitignore-style patterns (comments, <c>dir/</c>, <c>*.ext</c>, anchored <c>/path</c>) into a
    /// matcher.</summary>
    public static Matcher? LoadIgnore(string rootDirectory)
    {
        var path = Path.Combine(rootDirectory, IgnoreFileName);
        if (!File.Exists(path))
            return null;
        var matcher = new Matcher(StringComparison.Ordinal);
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith('!'))
                continue;
            var anchored = line.StartsWith('/') || line.TrimEnd('/').Contains('/');
            var pattern = line.Trim('/');
            if (line.EndsWith('/'))
                pattern += "/**";
            matcher.AddInclude(anchored ? pattern : "**/" + pattern);
            // "dir" also means everything below it, as in .gitignore.
            if (!line.EndsWith('/') && !pattern.EndsWith("**", StringComparison.Ordinal))
                matcher.AddInclude((anchored ? pattern : "**/" + pattern) + "/**");
        }

        return matcher;
    }
}
