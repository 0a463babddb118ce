using System.Text;
using Pipeline.Engine.Cli;
using Pipeline.Engine.Execution;

namespace Pipeline.Engine.Parameters;

/// <summary>
/// <c>deploy/config.env</c>: <c>KEY=VALUE</c> lines, <c>#</c> comments, optional <c>export</c> and quotes, read as
/// shells and docker compose read them (<c>KEY="v" # note</c> is <c>v</c>; an unquoted value ends at a space before
/// <c>#</c>), so the same file feeds them too. Strict: a key seen twice, or one no parameter declares, is an error
/// naming its line. Hand-written: no served dotenv parser reports line numbers, which every error here must name.
/// </summary>
public sealed class ConfigEnvFile : IParameterSource, IKeyedParameterSource
{
    // A class per entry and the keys in line order beside the dictionary: a tuple value, or sorting by line, would be
    // generic code the framework has no precompiled copy of, JIT-compiled at every start.
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _keysInLineOrder = [];
    private readonly List<BuildFailure> _problems = [];

    private ConfigEnvFile(string displayPath) => DisplayPath = displayPath;

    public string DisplayPath { get; }

    /// <summary>Keys of components the build does not compose: set before <see
    /// cref="IKeyedParameterSource.Problems"/>; looked at only for a key that is no parameter of this build.</summary>
    internal Lazy<KnownComponents>? Foreign { get; set; }

    /// <summary>Per component the build does not compose, the keys of it this file holds (a warning, not an
    /// error).</summary>
    internal Dictionary<string, List<string>> ForeignKeys { get; } = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Entries =>
        _entries.ToDictionary(e => e.Key, e => e.Value.Value, StringComparer.OrdinalIgnoreCase);

    public static ConfigEnvFile Load(string path, string displayPath)
    {
        var file = new ConfigEnvFile(displayPath);
        if (!File.Exists(path))
            return file;
        var lineNumber = 0;
        var problems = file._problems;
        foreach (var rawLine in File.ReadLines(path))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            if (line.StartsWith("export ", StringComparison.Ordinal))
                line = line[7..].TrimStart();
            var equals = line.IndexOf('=');
            var key = equals > 0 ? line[..equals].Trim() : "";
            if (key.Length == 0 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                // The line itself is not echoed: it may hold a value that should never be printed.
                problems.Add(
                    Problem(displayPath, lineNumber, "expected KEY=VALUE with a key of letters, digits and '_'")
                );
                continue;
            }

            if (file._entries.TryGetValue(key, out var first))
            {
                problems.Add(
                    Problem(displayPath, lineNumber, $"{key} is set twice (first on line {first.Line}); keep one")
                );
                continue;
            }

            try
            {
                file._entries[key] = new Entry(ParseValue(line[(equals + 1)..].Trim()), lineNumber);
                file._keysInLineOrder.Add(key);
            }
            catch (FormatException e)
            {
                problems.Add(Problem(displayPath, lineNumber, $"{key}: {e.Message}"));
            }
        }

        return file;
    }

    RawValue? IParameterSource.Find(ParameterDefinition parameter)
    {
        foreach (var name in new[] { parameter.Key, parameter.Name })
        {
            if (((IParameterSource)this).FindKey(name) is { } found)
                return found;
        }

        return null;
    }

    IEnumerable<string> IParameterSource.KeysStartingWith(string prefix) =>
        _keysInLineOrder.Where(key => key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

    /// <summary>A key of a declared family (the per-environment <c>DEPLOY_&lt;NAME&gt;_*</c> settings), with
    /// "path:line".</summary>
    RawValue? IParameterSource.FindKey(string key) =>
        _entries.TryGetValue(key, out var entry) && entry.Value.Length > 0
            ? new RawValue([entry.Value], $"{DisplayPath}:{entry.Line}")
            : null;

    IEnumerable<BuildFailure> IKeyedParameterSource.Problems(IReadOnlyList<ParameterDefinition> parameters)
    {
        foreach (var problem in _problems)
            yield return problem;
        var known = parameters.SelectMany(p => new[] { p.Key, p.Name }).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var families = ConfigKeyFamily.Of(parameters);
        foreach (var key in _keysInLineOrder)
        {
            var entry = _entries[key];
            if (known.Contains(key))
                continue;
            var family = families.FirstOrDefault(f => key.StartsWith(f.Prefix, StringComparison.OrdinalIgnoreCase));
            if ((family is null || !family.Accepts(key)) && Foreign?.Value.ComponentOf(key) is { } component)
            {
                if (!ForeignKeys.TryGetValue(component, out var keys))
                    ForeignKeys[component] = keys = [];
                keys.Add(key);
            }
            else if (family is null)
            {
                yield return Problem(
                    DisplayPath,
                    entry.Line,
                    $"{key} is not a parameter of this build{DidYouMean.Hint(key, parameters.Select(p => p.Key))}"
                );
            }
            else if (!family.Accepts(key))
            {
                var hint = DidYouMean.Hint(key, family.Candidates(key).Concat(parameters.Select(p => p.Key)));
                yield return Problem(
                    DisplayPath,
                    entry.Line,
                    $"{key} is not a parameter of this build, nor {family.Describe()}{hint}"
                );
            }
        }
    }

    private sealed record Entry(string Value, int Line);

    private static BuildFailure Problem(string path, int line, string what) =>
        new($"{path}:{line}: {what}", path, line);

    /// <summary>
    /// Double quotes: backslash escapes (<c>\"</c>, <c>\\</c>, <c>\n</c>); single quotes: literal. After the closing
    /// quote only a comment may follow. Unquoted: up to the first <c>#</c> preceded by a space or tab, trimmed.
    /// </summary>
    private static string ParseValue(string value)
    {
        if (value.Length == 0 || value[0] is not ('"' or '\''))
        {
            for (var i = 1; i < value.Length; i++)
            {
                if (value[i] == '#' && value[i - 1] is ' ' or '\t')
                    return value[..i].TrimEnd();
            }

            return value;
        }

        var quote = value[0];
        var text = new StringBuilder();
        var index = 1;
        for (; index < value.Length && value[index] != quote; index++)
        {
            if (quote == '"' && value[index] == '\\' && index + 1 < value.Length)
            {
                index++;
                text.Append(
                    value[index] switch
                    {
                        'n' => '\n',
                        't' => '\t',
                        var other => other,
                    }
                );
                continue;
            }

            text.Append(value[index]);
        }

        if (index >= value.Length)
            throw new FormatException($"unterminated {(quote == '"' ? "double" : "single")} quote");
        var rest = value[(index + 1)..].TrimStart();
        if (rest.Length > 0 && rest[0] != '#')
            throw new FormatException($"unexpected text after the closing quote (a comment starts with '#')");
        return text.ToString();
    }
}
