using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Registry;

/// <summary>
/// A <see cref="Digest"/> in JSON is its text, <c>sha256:…</c>, so a file written when digests were strings reads the
/// same; text that is not a digest is a <see cref="JsonException"/> whose message says why, for the reader to name the
/// file.
/// </summary>
internal sealed class DigestStringJsonConverter : JsonConverter<Digest>
{
    public override Digest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        try
        {
            return Digest.Parse(text ?? "");
        }
        catch (InvalidReferenceException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    public override void Write(Utf8JsonWriter writer, Digest value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
