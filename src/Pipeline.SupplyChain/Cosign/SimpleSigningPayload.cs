using System.Text;
using System.Text.Json;
using Pipeline.Registry;

namespace Pipeline.SupplyChain.Cosign;

/// <summary>
/// The payload a cosign image signature signs (the "simple signing" format of containers/image):
/// <c>{"critical":{"identity":{"docker-reference":REPO},"image":{"docker-manifest-digest":DIGEST},"type":"cosign
/// container image signature"},"optional":...}</c>. The digest is what binds the signature to the image; the reference
/// only says where it was signed for.
/// </summary>
internal sealed record SimpleSigningPayload(
    string DockerReference,
    Digest ManifestDigest,
    IReadOnlyDictionary<string, string>? Optional = null
)
{
    public const string Type = "cosign container image signature";

    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("critical");
            json.WriteStartObject("identity");
            json.WriteString("docker-reference", DockerReference);
            json.WriteEndObject();
            json.WriteStartObject("image");
            json.WriteString("docker-manifest-digest", ManifestDigest.ToString());
            json.WriteEndObject();
            json.WriteString("type", Type);
            json.WriteEndObject();
            if (Optional is null)
            {
                json.WriteNull("optional");
            }
            else
            {
                json.WriteStartObject("optional");
                foreach (var (key, value) in Optional.OrderBy(p => p.Key, StringComparer.Ordinal))
                    json.WriteString(key, value);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads a payload; null when it is not a cosign simple-signing document.</summary>
    public static SimpleSigningPayload? TryParse(byte[] bytes)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            var critical = doc.RootElement.GetProperty("critical");
            if (critical.GetProperty("type").GetString() != Type)
                return null;
            var reference = critical.GetProperty("identity").GetProperty("docker-reference").GetString() ?? "";
            var digest = critical.GetProperty("image").GetProperty("docker-manifest-digest").GetString();
            return Digest.TryParse(digest, out var parsed) ? new SimpleSigningPayload(reference, parsed) : null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    public override string ToString() => Encoding.UTF8.GetString(ToBytes());
}
