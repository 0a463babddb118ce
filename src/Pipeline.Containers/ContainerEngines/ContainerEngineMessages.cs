using System.Text.Json;

namespace Pipeline.Containers.ContainerEngines;

/// <summary>Turns engine error bodies (<c>{"message": ...}</c> on Docker and Podman) into one readable line.</summary>
internal static class ContainerEngineMessages
{
    public static string FromErrorBody(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
            return "(empty answer)";
        try
        {
            using var json = JsonDocument.Parse(body);
            if (
                json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("message", out var message)
                && message.ValueKind == JsonValueKind.String
            )
            {
                return OneLine(message.GetString());
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall through to the raw text.
        }

        return OneLine(body);
    }

    public static string OneLine(string? text)
    {
        var line = (text ?? string.Empty).Replace("\r", " ").Replace('\n', ' ').Trim();
        return line.Length > 400 ? line[..400] + "…" : line;
    }
}
