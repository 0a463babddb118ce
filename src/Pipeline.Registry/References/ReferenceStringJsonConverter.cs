using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Registry;

/// <summary>
/// A <see cref="Reference"/> in JSON is its text, <c>ghcr.io/owner/app:tag</c>, so a file written when references
/// were strings reads the same; text that is not a full reference is a <see cref="JsonException"/> whose message says
/// why, for the reader to name the file.
/// </summary>
internal sealed class ReferenceStringJsonConverter : JsonConverter<Reference>
{
    public override Reference Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        try
        {
            return Reference.Parse(text ?? "");
        }
        catch (InvalidReferenceException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    public override void Write(Utf8JsonWriter writer, Reference value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
