using System.Text.Json;

namespace Pipeline.Registry;

/// <summary>Reads the OCI distribution error body: <c>{"errors":[{"code":"...","message":"..."}]}</c>.</summary>
internal static class RegistryErrorBody
{
    /// <summary>The first error's code and a short text (code: message), or the start of a non-JSON body.</summary>
    public static (string? Code, string Text) Parse(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
            return (null, "");
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (
                doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("errors", out var errors)
                && errors.ValueKind == JsonValueKind.Array
                && errors.GetArrayLength() > 0
            )
            {
                var first = errors[0];
                var code = Text(first, "code");
                var message = Text(first, "message");
                return (code, string.Join(": ", new[] { code, message }.Where(s => !string.IsNullOrEmpty(s))));
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page): fall through to a trimmed excerpt.
        }

        var oneLine = body.ReplaceLineEndings(" ").Trim();
        return (null, oneLine.Length > 200 ? oneLine[..200] + "..." : oneLine);
    }

    /// <summary>A string property of an object, or null when absent or of another kind (registries send odd
    /// shapes).</summary>
    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
