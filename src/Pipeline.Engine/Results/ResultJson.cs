using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using Pipeline.Engine.Paths;

namespace Pipeline.Engine.Results;

/// <summary>
/// One JSON shape for every typed result: camelCase, enums as kebab-case strings, nullable annotations and required
/// constructor parameters enforced on load, and <see cref="AbsolutePath"/> written relative to the repository root so
/// a result written in one checkout (job, runner) loads in another.
/// </summary>
internal static class ResultJson
{
    public static JsonSerializerOptions Options(AbsolutePath root) =>
        new()
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            Converters =
            {
                new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower),
                new RootRelativePathConverter(root),
            },
            TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
        };

    /// <summary>The value's JSON schema (draft 2020-12, from System.Text.Json's own exporter, so it matches the
    /// serializer).</summary>
    public static JsonNode Schema(Type type, JsonSerializerOptions options) =>
        options.GetJsonSchemaAsNode(
            type,
            new JsonSchemaExporterOptions
            {
                TreatNullObliviousAsNonNullable = true,
                TransformSchemaNode = (context, schema) =>
                    context.TypeInfo.Type == typeof(AbsolutePath)
                        ? new JsonObject
                        {
                            ["type"] =
                                context.PropertyInfo?.IsSetNullable == false
                                    ? "string"
                                    : new JsonArray("string", "null"),
                            ["description"] = "a path, relative to the repository root when under it",
                        }
                    : WrittenAsText(context.TypeInfo.Type)
                        ? new JsonObject
                        {
                            ["type"] =
                                Nullable.GetUnderlyingType(context.TypeInfo.Type) is not null
                                || context.PropertyInfo?.IsSetNullable == true
                                    ? new JsonArray("string", "null")
                                    : "string",
                        }
                    : schema,
            }
        );

    /// <summary>
    /// The exporter cannot see through a type's own converter (it writes <c>{}</c>: anything goes); a type that carries
    /// a <see cref="JsonConverterAttribute"/> and is <see cref="IParsable{TSelf}"/> (a digest, an image reference) is
    /// written as its text, so its schema says string.
    /// </summary>
    private static bool WrittenAsText(Type type)
    {
        var plain = Nullable.GetUnderlyingType(type) ?? type;
        return plain.IsDefined(typeof(JsonConverterAttribute), inherit: false)
            && plain
                .GetInterfaces()
                .Any(i =>
                    i.IsGenericType
                    && i.GetGenericTypeDefinition() == typeof(IParsable<>)
                    && i.GetGenericArguments()[0] == plain
                );
    }

    private sealed class RootRelativePathConverter(AbsolutePath root) : JsonConverter<AbsolutePath>
    {
        public override AbsolutePath Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString();
            if (string.IsNullOrWhiteSpace(text))
                throw new JsonException("an empty path");
            return Path.IsPathRooted(text) ? new AbsolutePath(text) : root / text;
        }

        public override void Write(Utf8JsonWriter writer, AbsolutePath value, JsonSerializerOptions options)
        {
            var relative = value.RelativeTo(root);
            writer.WriteStringValue(
                relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)
                    ? value.Value
                    : relative
            );
        }
    }
}
