using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Pipeline.Registry;

namespace Pipeline.SupplyChain.Sbom;

/// <summary>
/// Writes a CycloneDX 1.5 JSON document (bomFormat, specVersion, serialNumber, metadata.component = the image,
/// components). Hand-written on System.Text.Json: the CycloneDX .NET library is not served here, and the
/// CycloneDX/Microsoft SBOM tools describe projects or folders, not an image's stacked layers. Reproducible: the serial
/// number derives from the image digest.
/// </summary>
internal static class CycloneDxWriter
{
    public const string MediaType = "application/vnd.cyclonedx+json";

    public static byte[] Write(
        string imageName,
        Digest imageDigest,
        DateTimeOffset timestamp,
        IEnumerable<SbomComponent> components
    )
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            json.WriteStartObject();
            json.WriteString("bomFormat", "CycloneDX");
            json.WriteString("specVersion", "1.5");
            json.WriteString("serialNumber", $"urn:uuid:{SerialFor(imageDigest)}");
            json.WriteNumber("version", 1);
            json.WriteStartObject("metadata");
            json.WriteString("timestamp", timestamp.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ"));
            json.WriteStartObject("tools");
            json.WriteStartArray("components");
            json.WriteStartObject();
            json.WriteString("type", "application");
            json.WriteString("name", "pipeline");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartObject("component");
            json.WriteString("type", "container");
            json.WriteString("bom-ref", $"{imageName}@{imageDigest}");
            json.WriteString("name", imageName);
            json.WriteString("version", imageDigest.ToString());
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartArray("components");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (
                var component in components
                    .OrderBy(c => c.Type, StringComparer.Ordinal)
                    .ThenBy(c => c.Purl ?? c.Name, StringComparer.Ordinal)
            )
            {
                var reference = component.Purl ?? $"file:{component.Name}";
                if (!seen.Add(reference + "|" + component.Source))
                    continue;
                json.WriteStartObject();
                json.WriteString("type", component.Type);
                json.WriteString("bom-ref", component.Source is null ? reference : $"{reference}#{component.Source}");
                json.WriteString("name", component.Name);
                if (component.Version is not null)
                    json.WriteString("version", component.Version);
                if (component.Purl is not null)
                    json.WriteString("purl", component.Purl);
                if (component.Source == BuildSource)
                    json.WriteString("scope", "excluded"); // built with, not shipped in the image
                if (component.Sha256 is not null)
                {
                    json.WriteStartArray("hashes");
                    json.WriteStartObject();
                    json.WriteString("alg", "SHA-256");
                    json.WriteString("content", component.Sha256);
                    json.WriteEndObject();
                    json.WriteEndArray();
                }

                if (component.Source is not null)
                {
                    json.WriteStartArray("properties");
                    json.WriteStartObject();
                    json.WriteString("name", "pipeline:found-in");
                    json.WriteString("value", component.Source);
                    json.WriteEndObject();
                    json.WriteEndArray();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The source name of the build's own NuGet dependencies (scope excluded: used to build, not in the
    /// image).</summary>
    public const string BuildSource = "build";

    private static Guid SerialFor(Digest digest)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes("pipeline-sbom:" + digest))[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50); // version 5-style name-based
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
