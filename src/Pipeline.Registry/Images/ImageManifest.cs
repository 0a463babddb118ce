using System.Text.Json.Serialization;

namespace Pipeline.Registry.Images;

/// <summary>An image manifest (OCI or Docker v2 schema 2): a config blob and ordered layers.</summary>
public sealed record ImageManifest
{
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; } = 2;

    [JsonPropertyName("mediaType")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MediaType { get; init; }

    [JsonPropertyName("config")]
    public required Descriptor Config { get; init; }

    [JsonPropertyName("layers")]
    public required IReadOnlyList<Descriptor> Layers { get; init; }

    [JsonPropertyName("annotations")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>Config first, then layers: every blob a registry must hold before it accepts the manifest.</summary>
    [JsonIgnore]
    public IEnumerable<Descriptor> Blobs => Layers.Prepend(Config);
}
