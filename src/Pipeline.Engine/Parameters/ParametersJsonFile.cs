using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Pipeline.Engine.Cli;
using Pipeline.Engine.Execution;

namespace Pipeline.Engine.Parameters;

/// <summary>
/// <c>.nuke/parameters.json</c> and <c>.nuke/parameters.&lt;profile&gt;.json</c>, as in NUKE. Read with Newtonsoft.Json
/// because it keeps line numbers, so a bad value is reported as <c>.nuke/parameters.json:4</c>. Strict: one JSON object
/// and nothing after it, no key twice (in any spelling of the same parameter), no key that names no parameter.
/// </summary>
internal sealed class ParametersJsonFile : IParameterSource, IKeyedParameterSource
{
    private readonly Dictionary<string, JProperty> _properties = new();

    // In file order: sorting the dictionary by line would be generic code JIT-compiled at every start.
    private readonly List<string> _keysInFileOrder = [];
    private readonly List<BuildFailure> _problems = [];

    private ParametersJsonFile(string displayPath) => DisplayPath = displayPath;

    public string DisplayPath { get; }

    /// <summary>Parameters of components the build does not compose: set before <see cref="Problems"/>; looked at
    /// only for a name that is no parameter of this build.</summary>
    internal Lazy<KnownComponents>? Foreign { get; set; }

    /// <summary>Per component the build does not compose, the properties of it this file holds (a warning, not an
    /// error).</summary>
    internal Dictionary<string, List<string>> ForeignKeys { get; } = new(StringComparer.Ordinal);

    public IEnumerable<string> Keys => _properties.Values.Select(p => p.Name);

    public static ParametersJsonFile Load(string path, string displayPath)
    {
        var file = new ParametersJsonFile(displayPath);
        if (!File.Exists(path))
            return file;
        JObject root;
        try
        {
            using var reader = new JsonTextReader(new StreamReader(path)) { SupportMultipleContent = true };
            var settings = new JsonLoadSettings
            {
                LineInfoHandling = LineInfoHandling.Load,
                CommentHandling = CommentHandling.Ignore,
                DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error,
            };
            var token = JToken.ReadFrom(reader, settings);
            root =
                token as JObject
                ?? throw Problem(
                    displayPath,
                    ((IJsonLineInfo)token).LineNumber,
                    $"expected a JSON object of parameter names and values, found {Describe(token.Type)}"
                );
            while (reader.Read())
            {
                if (reader.TokenType != JsonToken.Comment)
                    throw Problem(displayPath, reader.LineNumber, "unexpected content after the closing '}'");
            }
        }
        catch (JsonReaderException e)
        {
            file._problems.Add(
                Problem(displayPath, e.LineNumber, $"not valid JSON ({e.Message.Split(" Path")[0].TrimEnd('.')})")
            );
            return file;
        }
        catch (BuildFailure e)
        {
            file._problems.Add(e);
            return file;
        }

        var problems = file._problems;
        foreach (var property in root.Properties().Where(p => p.Name != "$schema"))
        {
            var key = ParameterNames.Normalize(property.Name);
            if (file._properties.TryGetValue(key, out var first))
            {
                problems.Add(
                    Problem(
                        displayPath,
                        Line(property),
                        $"'{property.Name}' sets the same parameter as '{first.Name}' on line {Line(first)}; keep one"
                    )
                );
                continue;
            }

            file._properties[key] = property;
            file._keysInFileOrder.Add(key);
        }

        return file;
    }

    public RawValue? Find(ParameterDefinition parameter)
    {
        if (
            !_properties.TryGetValue(ParameterNames.Normalize(parameter.Name), out var property)
            && !_properties.TryGetValue(ParameterNames.Normalize(parameter.Key), out property)
        )
        {
            return null;
        }

        var line = Line(property);
        var source = $"{DisplayPath}:{line}";
        return property.Value switch
        {
            JValue { Type: JTokenType.Null } => null,
            JArray array => new RawValue(array.Select(Text).ToList(), source),
            JObject => throw new BuildFailure(
                $"{source}: '{property.Name}' must be a value or an array, not an object",
                DisplayPath,
                line
            ),
            var value => new RawValue([Text(value)], source),
        };
    }

    public IEnumerable<BuildFailure> Problems(IReadOnlyList<ParameterDefinition> parameters)
    {
        foreach (var problem in _problems)
            yield return problem;
        var known = parameters
            .SelectMany(p => new[] { ParameterNames.Normalize(p.Name), ParameterNames.Normalize(p.Key) })
            .ToHashSet(StringComparer.Ordinal);
        foreach (var key in _keysInFileOrder)
        {
            var property = _properties[key];
            if (known.Contains(key))
                continue;
            if (Foreign?.Value.ComponentOfName(key) is { } component)
            {
                if (!ForeignKeys.TryGetValue(component, out var names))
                    ForeignKeys[component] = names = [];
                names.Add(property.Name);
                continue;
            }

            yield return Problem(
                DisplayPath,
                Line(property),
                $"'{property.Name}' is not a parameter of this "
                    + $"build{DidYouMean.Hint(property.Name, parameters.Select(p => p.Name))}"
            );
        }
    }

    private static int Line(JToken token) => ((IJsonLineInfo)token).LineNumber;

    private static BuildFailure Problem(string path, int line, string what) =>
        new($"{path}:{line}: {what}", path, line);

    private static string Describe(JTokenType type) =>
        type switch
        {
            JTokenType.Array => "an array",
            JTokenType.String => "a string",
            JTokenType.Null => "null",
            _ => type.ToString().ToLowerInvariant(),
        };

    private static string Text(JToken token) =>
        token.Type switch
        {
            JTokenType.String => (string)token!,
            JTokenType.Boolean => token.ToString().ToLowerInvariant(),
            // The common number, without the JSON writer's first use (about 20 ms of every start that reads one).
            JTokenType.Integer => Convert.ToString(((JValue)token).Value, CultureInfo.InvariantCulture)!,
            _ => token.ToString(Formatting.None),
        };
}
