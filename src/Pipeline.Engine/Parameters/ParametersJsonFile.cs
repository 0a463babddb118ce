using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Pipeline.Engine;

/// <summary>
/// <c>.nuke/parameters.json</c> and <c>.nuke/parameters.&lt;profile&gt;.json</c>, as in NUKE. Read with Newtonsoft.Json
/// because it keeps line numbers, so a bad value is reported as <c>.nuke/parameters.json:4</c>.
/// </summary>
internal sealed class ParametersJsonFile : IParameterSource
{
    private readonly Dictionary<string, JProperty> _properties = new();

    private ParametersJsonFile(string displayPath) => DisplayPath = displayPath;

    public string DisplayPath { get; }

    public IEnumerable<string> Keys => _properties.Values.Select(p => p.Name);

    public static ParametersJsonFile Load(string path, string displayPath)
    {
        var file = new ParametersJsonFile(displayPath);
        if (!File.Exists(path)) return file;
        JObject root;
        try
        {
            using var reader = new JsonTextReader(new StreamReader(path));
            root = JObject.Load(reader, new JsonLoadSettings { LineInfoHandling = LineInfoHandling.Load, CommentHandling = CommentHandling.Ignore });
        }
        catch (JsonReaderException e)
        {
            throw new BuildFailure($"{displayPath}:{e.LineNumber}: not valid JSON ({e.Message.Split(" Path")[0].TrimEnd('.')})", displayPath, e.LineNumber);
        }

        foreach (var property in root.Properties().Where(p => p.Name != "$schema"))
        {
            file._properties[ParameterNames.Normalize(property.Name)] = property;
        }

        return file;
    }

    public RawValue? Find(ParameterDefinition parameter)
    {
        if (!_properties.TryGetValue(ParameterNames.Normalize(parameter.Name), out var property)
            && !_properties.TryGetValue(ParameterNames.Normalize(parameter.Key), out property))
        {
            return null;
        }

        var line = ((IJsonLineInfo)property).LineNumber;
        var source = $"{DisplayPath}:{line}";
        return property.Value switch
        {
            JValue { Type: JTokenType.Null } => null,
            JArray array => new RawValue(array.Select(Text).ToList(), source),
            JObject => throw new BuildFailure($"{source}: '{property.Name}' must be a value or an array, not an object", DisplayPath, line),
            var value => new RawValue([Text(value)], source),
        };
    }

    private static string Text(JToken token) => token.Type switch
    {
        JTokenType.String => (string)token!,
        JTokenType.Boolean => token.ToString().ToLowerInvariant(),
        _ => token.ToString(Formatting.None),
    };
}
