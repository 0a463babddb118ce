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

    /// <summary>OCI 1.1: what kind of artifact this manifest is (signatures, attestations, SBOMs); absent on
    /// images.</summary>
    [JsonPropertyName("artifactType")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ArtifactType { get; init; }

    [JsonPropertyName("config")]
    public required Descriptor Config { get; init; }

    [JsonPropertyName("layers")]
    public required IReadOnlyList<Descriptor> Layers { get; init; }

    /// <summary>OCI 1.1: the manifest this one is about (a signature's image); registries with the referrers API index
    /// it.</summary>
    [JsonPropertyName("subject")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Descriptor? Subject { get; init; }

    [JsonPropertyName("annotations")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>Config first, then layers: every blob a registry must hold before it accepts the manifest.</summary>
    [JsonIgnore]
    public IEnumerable<Descriptor> Blobs => Layers.Prepend(Config);
}
