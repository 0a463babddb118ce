using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Containers.Build;

/// <summary>
/// <c>.containerignore</c> / <c>.dockerignore</c> rules with Docker's semantics: Go-style globs plus <c>**</c>,
/// <c>!</c> exceptions, the last matching rule wins, and a rule matching a folder excludes everything below it.
/// Hand-written: no maintained .NET package implements Docker's pattern matcher (FileSystemGlobbing has no ordered
/// exceptions).
/// </summary>
internal sealed class IgnoreFile
{
    private readonly IReadOnlyList<Rule> _rules;

    private IgnoreFile(string? source, IReadOnlyList<Rule> rules)
    {
        Source = source;
        _rules = rules;
    }

    /// <summary>An ignore file that excludes nothing.</summary>
    public static IgnoreFile Empty { get; } = new(null, []);

    /// <summary>The file the rules came from, or null.</summary>
    public string? Source { get; }

    public bool HasExceptions => _rules.Any(r => r.Exception);

    /// <summary>Reads <c>.containerignore</c>, else <c>.dockerignore</c>, from the context root (Podman's
    /// order).</summary>
    public static IgnoreFile Load(string contextDirectory)
    {
        foreach (var name in FileNames)
        {
            var path = Path.Combine(contextDirectory, name);
            if (File.Exists(path))
                return Parse(File.ReadAllLines(path), path);
        }

        return Empty;
    }

    public static IReadOnlyList<string> FileNames { get; } = [".containerignore", ".dockerignore"];

    public static IgnoreFile Parse(IEnumerable<string> lines, string? source = null)
    {
        var rules = new List<Rule>();
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
                continue;
            var exception = line[0] == '!';
            if (exception)
                line = line[1..].Trim();
            var pattern = Clean(line);
            if (pattern.Length == 0)
                continue;
            try
            {
                rules.Add(new Rule(pattern, exception, new Regex(ToRegex(pattern), RegexOptions.CultureInvariant)));
            }
            catch (ArgumentException e)
            {
                throw new ContainerException(
                    $"{source ?? "ignore file"}:{number}: '{raw.Trim()}' is not a valid pattern ({e.Message})"
                );
            }
        }

        return new IgnoreFile(source, rules);
    }

    /// <summary>True when <paramref name="relativePath"/> (forward slashes, relative to the context) is
    /// excluded.</summary>
    public bool IsExcluded(string relativePath)
    {
        var path = relativePath.Replace('\\', '/').Trim('/');
        var parents = ParentPaths(path);
        var excluded = false;
        foreach (var rule in _rules)
        {
            if (excluded == !rule.Exception)
                continue; // this rule cannot change the outcome
            if (rule.Regex.IsMatch(path) || parents.Any(rule.Regex.IsMatch))
                excluded = !rule.Exception;
        }

        return excluded;
    }

    private static List<string> ParentPaths(string path)
    {
        var parents = new List<string>();
        for (var i = path.IndexOf('/'); i >= 0; i = path.IndexOf('/', i + 1))
            parents.Add(path[..i]);
        return parents;
    }

    private static string Clean(string pattern)
    {
        // Like Go's filepath.Clean for our purposes: no leading '/', no './', no duplicate or trailing slashes.
        var parts = new List<string>();
        foreach (var part in pattern.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
                continue;
            if (part == ".." && parts.Count > 0 && parts[^1] != "..")
                parts.RemoveAt(parts.Count - 1);
            else
                parts.Add(part);
        }

        return string.Join('/', parts);
    }

    private static string ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    i++;
                    if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                        i++;
                    regex.Append(i + 1 >= pattern.Length ? ".*" : "(?:.*/)?");
                    break;
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '[':
                    var end = pattern.IndexOf(']', i + 1);
                    if (end < 0)
                        throw new ArgumentException("unclosed '['");
                    var set = pattern[(i + 1)..end];
                    regex.Append('[').Append(set.StartsWith('!') ? "^" + set[1..] : set).Append(']');
                    i = end;
                    break;
                case '\\' when i + 1 < pattern.Length:
                    regex.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return regex.Append('$').ToString();
    }

    private sealed record Rule(string Pattern, bool Exception, Regex Regex);
}
