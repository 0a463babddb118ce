using Microsoft.Extensions.FileSystemGlobbing;

namespace Pipeline.Quality.Coverage;

/// <summary>
/// One declared critical path that must be fully covered. It names an assembly (<c>Pipeline.Engine</c>),
/// a namespace (<c>Pipeline.Engine.Output</c>, including nested ones), or files: a path or glob relative to
/// the root (<c>src/Pipeline.Engine/Output/SecretMasker.cs</c>, <c>src/Pipeline.Engine/Graph/**</c>).
/// A bare dotted name is matched as assembly and namespace, so <c>Pipeline.Engine</c> means both.
/// </summary>
public sealed class CriticalPath
{
    private readonly Matcher? _files;

    public CriticalPath(string entry)
    {
        Entry = entry.Trim();
        if (Entry.Length == 0)
            throw new ArgumentException("a critical path entry is empty", nameof(entry));
        IsFileGlob =
            Entry.Contains('/')
            || Entry.Contains('\\')
            || Entry.Contains('*')
            || Entry.EndsWith(".cs", StringComparison.OrdinalIgnoreCase);
        if (IsFileGlob)
        {
            _files = new Matcher(StringComparison.Ordinal);
            _files.AddInclude(Entry.Replace('\\', '/'));
        }
        else if (Entry.Any(c => !(char.IsLetterOrDigit(c) || c is '.' or '_')))
        {
            throw new ArgumentException(
                $"'{Entry}' is neither an assembly or namespace name nor a file path or glob",
                nameof(entry)
            );
        }
    }

    public string Entry { get; }

    public bool IsFileGlob { get; }

    /// <summary>Parses a list separated by commas, semicolons or whitespace (as config.env and the command line give
    /// it).</summary>
    public static IReadOnlyList<CriticalPath> ParseList(IEnumerable<string> values) =>
        values
            .SelectMany(v =>
                v.Split(
                    [',', ';', ' ', '\t', '\n'],
                    StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries
                )
            )
            .Distinct(StringComparer.Ordinal)
            .Select(v => new CriticalPath(v))
            .ToList();

    public bool Matches(FileCoverage file)
    {
        if (_files is not null)
            return _files.Match(file.Path.TrimStart('/')).HasMatches;
        return string.Equals(file.Assembly, Entry, StringComparison.Ordinal)
            || file.Classes.Any(c => c.StartsWith(Entry + ".", StringComparison.Ordinal));
    }

    public override string ToString() => Entry;
}
