namespace Pipeline.Engine;

/// <summary>
/// <c>deploy/config.env</c>: <c>KEY=VALUE</c> lines, <c>#</c> comments, optional <c>export</c> and quotes — the subset of
/// dotenv that docker compose and shells agree on, so the same file feeds them too. Hand-written: no served dotenv parser
/// reports line numbers, which every error here must name.
/// </summary>
public sealed class ConfigEnvFile : IParameterSource
{
    private readonly Dictionary<string, (string Value, int Line)> _entries = new(StringComparer.OrdinalIgnoreCase);

    private ConfigEnvFile(string displayPath) => DisplayPath = displayPath;

    public string DisplayPath { get; }

    public IReadOnlyDictionary<string, string> Entries => _entries.ToDictionary(e => e.Key, e => e.Value.Value, StringComparer.OrdinalIgnoreCase);

    public static ConfigEnvFile Load(string path, string displayPath)
    {
        var file = new ConfigEnvFile(displayPath);
        if (!File.Exists(path)) return file;
        var lineNumber = 0;
        foreach (var rawLine in File.ReadLines(path))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.StartsWith("export ", StringComparison.Ordinal)) line = line[7..].TrimStart();
            var equals = line.IndexOf('=');
            var key = equals > 0 ? line[..equals].Trim() : "";
            if (key.Length == 0 || !key.All(c => char.IsLetterOrDigit(c) || c == '_'))
            {
                // The line itself is not echoed: it may hold a value that should never be printed.
                throw new BuildFailure($"{displayPath}:{lineNumber}: expected KEY=VALUE with a key of letters, digits and '_'", displayPath, lineNumber);
            }

            file._entries[key] = (Unquote(line[(equals + 1)..].Trim(), displayPath, lineNumber), lineNumber);
        }

        return file;
    }

    /// <summary>A key that is not a parameter (e.g. the per-environment <c>DEPLOY_&lt;NAME&gt;_*</c> settings), with "path:line".</summary>
    public (string Value, string Source)? Find(string key)
        => _entries.TryGetValue(key, out var entry) ? (entry.Value, $"{DisplayPath}:{entry.Line}") : null;

    RawValue? IParameterSource.Find(ParameterDefinition parameter)
    {
        foreach (var name in new[] { parameter.Key, parameter.Name })
        {
            if (_entries.TryGetValue(name, out var entry) && entry.Value.Length > 0) return new RawValue([entry.Value], $"{DisplayPath}:{entry.Line}");
        }

        return null;
    }

    private static string Unquote(string value, string path, int line)
    {
        if (value.Length > 0 && value[0] is '"' or '\'')
        {
            if (value.Length < 2 || value[^1] != value[0]) throw new BuildFailure($"{path}:{line}: unterminated quote", path, line);
            return value[1..^1];
        }

        // An unquoted value ends at " #" (an inline comment), as in shells.
        var comment = value.IndexOf(" #", StringComparison.Ordinal);
        return comment >= 0 ? value[..comment].TrimEnd() : value;
    }
}
