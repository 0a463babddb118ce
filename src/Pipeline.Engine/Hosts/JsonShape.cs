using System.Text.Json;

namespace Pipeline.Engine.Hosts;

/// <summary>
/// Reads fields of a JSON document by dotted path, each with the type it must have; absent and null are "not there", a
/// wrong type is recorded once in <see cref="Error"/> ("pull_request.number is a string, expected a number") instead
/// of throwing from deep inside System.Text.Json. The one reader for files another program wrote in a known shape.
/// </summary>
internal sealed class JsonShape(string source)
{
    public string? Error { get; private set; }

    /// <summary>The element at <paramref name="path"/>'s last segment under <paramref name="parent"/>; for the root,
    /// the element itself.</summary>
    public JsonElement? Object(JsonElement? parent, string path) =>
        Typed(parent, path, JsonValueKind.Object, "an object");

    public JsonElement? Object(JsonElement root, string what) => Typed(root, what, JsonValueKind.Object, "an object");

    public string? String(JsonElement? parent, string path) =>
        Typed(parent, path, JsonValueKind.String, "a string")?.GetString();

    public int? Number(JsonElement? parent, string path)
    {
        var element = Typed(parent, path, JsonValueKind.Number, "a number");
        if (element is not { } number)
            return null;
        if (number.TryGetInt32(out var value))
            return value;
        Fail($"{path} is {number.GetRawText()}, expected a whole number");
        return null;
    }

    private JsonElement? Typed(JsonElement root, string what, JsonValueKind kind, string expected)
    {
        if (root.ValueKind == kind)
            return root;
        Fail($"{what} is {Describe(root.ValueKind)}, expected {expected}");
        return null;
    }

    private JsonElement? Typed(JsonElement? parent, string path, JsonValueKind kind, string expected)
    {
        var name = path[(path.LastIndexOf('.') + 1)..];
        if (
            parent is not { ValueKind: JsonValueKind.Object } p
            || !p.TryGetProperty(name, out var child)
            || child.ValueKind == JsonValueKind.Null
        )
            return null;
        if (child.ValueKind == kind)
            return child;
        Fail($"{path} is {Describe(child.ValueKind)}, expected {expected}");
        return null;
    }

    private void Fail(string problem) => Error ??= $"{source}: {problem}";

    private static string Describe(JsonValueKind kind) =>
        kind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => kind.ToString().ToLowerInvariant(),
        };
}
