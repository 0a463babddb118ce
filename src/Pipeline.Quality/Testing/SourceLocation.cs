using System.Text.RegularExpressions;

namespace Pipeline.Quality.Testing;

/// <summary>A file and line, relative to the repository root when inside it (for annotations).</summary>
public sealed partial record SourceLocation(string File, int Line)
{
    /// <summary>
    /// The innermost stack frame that points into <paramref name="rootDirectory"/>: the line of the
    /// test (or code under test) that failed, rather than a framework frame.
    /// </summary>
    public static SourceLocation? FromStackTrace(string? stackTrace, string rootDirectory)
    {
        if (string.IsNullOrWhiteSpace(stackTrace))
            return null;
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootDirectory)) + Path.DirectorySeparatorChar;
        foreach (Match match in Frame().Matches(stackTrace))
        {
            var file = match.Groups["file"].Value.Trim();
            if (!Path.IsPathRooted(file))
                continue;
            var full = Path.GetFullPath(file);
            if (!full.StartsWith(root, StringComparison.Ordinal))
                continue;
            return new SourceLocation(
                Path.GetRelativePath(root, full).Replace('\\', '/'),
                int.Parse(match.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture)
            );
        }

        return null;
    }

    public override string ToString() => $"{File}:{Line}";

    // "   at Ns.Type.Method() in /path/File.cs:line 15" (the .NET stack trace format, invariant culture).
    [GeneratedRegex(@"\bin (?<file>.+?):line (?<line>\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex Frame();
}
