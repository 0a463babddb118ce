using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Engine.Paths;
using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Parameters;

/// <summary>
/// Writes <c>.nuke/build.schema.json</c> from the declared parameters and targets, so editors complete and check
/// <c>.nuke/parameters.json</c> (which points at it with <c>"$schema": "./build.schema.json"</c>).
/// </summary>
internal static class SchemaWriter
{
    public static string Render(IReadOnlyList<ParameterDefinition> parameters, IReadOnlyList<BuildTarget> targets)
    {
        var targetNames = new JsonArray(targets.Select(t => (JsonNode)JsonValue.Create(t.Name)!).ToArray());
        var properties = new JsonObject
        {
            ["$schema"] = new JsonObject { ["type"] = "string" },
            ["Skip"] = new JsonObject
            {
                ["type"] = "array",
                ["description"] = "Targets to skip",
                ["items"] = new JsonObject { ["enum"] = targetNames.DeepClone() },
            },
            ["Target"] = new JsonObject
            {
                ["type"] = "array",
                ["description"] = "Targets to run",
                ["items"] = new JsonObject { ["enum"] = targetNames.DeepClone() },
            },
        };
        foreach (var parameter in parameters.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var schema = TypeSchema(parameter.ValueType);
            schema["description"] =
                parameter.Description
                + (parameter.RangeText is { } range ? $" ({range})" : "")
                + (parameter.IsSecret ? " (secret: prefer the environment variable " + parameter.Key + ")" : "");
            if (parameter.Range is { } bounds)
            {
                if (bounds.Min != long.MinValue)
                    schema["minimum"] = bounds.Min;
                if (bounds.Max != long.MaxValue)
                    schema["maximum"] = bounds.Max;
            }
            properties[parameter.Name] = schema;
        }

        var root = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-07/schema#",
            ["title"] = "Build parameters",
            ["type"] = "object",
            ["properties"] = properties,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>
    /// Renders and writes the schema unless this build wrote it last and the file is as it was left: the stamp holds
    /// the build type, the versions (MVIDs) of the assemblies that declare its targets and parameters, and the file's
    /// size and time. Rendering loads System.Text.Json, a cost every start paid for a file that changes only when the
    /// build's code does.
    /// </summary>
    public static void WriteIfBuildChanged(
        AbsolutePath path,
        AbsolutePath stamp,
        Type buildType,
        IReadOnlyList<ParameterDefinition> parameters,
        IReadOnlyList<BuildTarget> targets
    )
    {
        var fingerprint = Fingerprint(buildType, parameters, targets);
        if (File.Exists(path) && File.Exists(stamp) && File.ReadAllText(stamp) == fingerprint + FileState(path))
            return;
        WriteIfChanged(path, Render(parameters, targets));
        try
        {
            File.WriteAllText(stamp, fingerprint + FileState(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // no stamp: the next start renders the schema again, nothing worse
        }
    }

    /// <summary>Writes the schema only when it changed, so an unchanged build leaves the file (and git status)
    /// alone.</summary>
    public static void WriteIfChanged(AbsolutePath path, string content)
    {
        if (File.Exists(path) && File.ReadAllText(path) == content)
            return;
        Directory.CreateDirectory(path.Parent);
        File.WriteAllText(path, content);
    }

    private static string Fingerprint(
        Type buildType,
        IReadOnlyList<ParameterDefinition> parameters,
        IReadOnlyList<BuildTarget> targets
    )
    {
        var assemblies = new HashSet<System.Reflection.Assembly> { typeof(SchemaWriter).Assembly, buildType.Assembly };
        foreach (var parameter in parameters)
        {
            assemblies.Add(parameter.Member.DeclaringType!.Assembly);
            var type = Nullable.GetUnderlyingType(parameter.ValueType) ?? parameter.ValueType;
            assemblies.Add((type.IsArray ? type.GetElementType()! : type).Assembly);
        }

        foreach (var target in targets)
            assemblies.Add(target.DeclaringType.Assembly);
        var versions = assemblies
            .Select(a => a.ManifestModule.ModuleVersionId.ToString())
            .Order(StringComparer.Ordinal);
        return $"{buildType.AssemblyQualifiedName}\n{string.Join("\n", versions)}\n";
    }

    private static string FileState(AbsolutePath path)
    {
        var file = new FileInfo(path);
        return $"{file.Length} {file.LastWriteTimeUtc.Ticks}\n";
    }

    private static JsonObject TypeSchema(Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target.IsArray)
            return new JsonObject { ["type"] = "array", ["items"] = TypeSchema(target.GetElementType()!) };
        if (target.IsEnum)
            return new JsonObject
            {
                ["type"] = "string",
                ["enum"] = new JsonArray(Enum.GetNames(target).Select(n => (JsonNode)JsonValue.Create(n)!).ToArray()),
            };
        if (target == typeof(bool))
            return new JsonObject { ["type"] = "boolean" };
        if (target == typeof(int) || target == typeof(long))
            return new JsonObject { ["type"] = "integer" };
        if (target == typeof(double))
            return new JsonObject { ["type"] = "number" };
        return new JsonObject { ["type"] = "string" };
    }
}
