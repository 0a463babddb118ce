using NJsonSchema;
using YamlDotNet.Serialization;

namespace Pipeline.Engine.Tests.Workflows;

/// <summary>
/// Validates workflow YAML against SchemaStore's GitHub workflow schema (tests/data/github-workflow.schema.json):
/// YAML is read by YamlDotNet (unquoted scalars typed as YAML would type them), re-written as JSON, and checked by
/// NJsonSchema.
/// </summary>
internal static class WorkflowSchema
{
    private static readonly Lazy<Task<JsonSchema>> Schema = new(() =>
        JsonSchema.FromFileAsync(TestData.File("github-workflow.schema.json"))
    );

    public static async Task<IReadOnlyList<string>> ErrorsAsync(string yaml)
    {
        var schema = await Schema.Value;
        return schema.Validate(ToJson(yaml)).Select(e => $"{e.Path}: {e.Kind}").ToList();
    }

    public static string ToJson(string yaml)
    {
        var graph = new DeserializerBuilder()
            .WithAttemptingUnquotedStringTypeDeserialization()
            .Build()
            .Deserialize<object>(yaml);
        return new SerializerBuilder().JsonCompatible().Build().Serialize(graph);
    }

    /// <summary>The document as nested dictionaries and lists, for assertions on its shape.</summary>
    public static Dictionary<object, object> Parse(string yaml) =>
        new DeserializerBuilder()
            .WithAttemptingUnquotedStringTypeDeserialization()
            .Build()
            .Deserialize<Dictionary<object, object>>(yaml);
}
