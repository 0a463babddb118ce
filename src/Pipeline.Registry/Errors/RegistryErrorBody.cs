using System.Text.Json;

namespace Pipeline.Registry;

/// <summary>Reads the OCI distribution error body: <c>{"errors":[{"code":"...","message":"..."}]}</c>.</summary>
internal static class RegistryErrorBody
{
    /// <summary>The first error's code and a short text (code: message), or the start of a non-JSON body.</summary>
    public static (string? Code, string Text) Parse(string body)
    {
        if (string.IsNullOrWhiteSpace(body)) return (null, "");
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("errors", out var errors)
                && errors.ValueKind == JsonValueKind.Array
                && errors.GetArrayLength() > 0)
            {
                var first = errors[0];
                var code = first.TryGetProperty("code", out var c) ? c.GetString() : null;
                var message = first.TryGetProperty("message", out var m) ? m.GetString() : null;
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
}
