using System.Text.Json.Serialization;

namespace Pipeline.Registry.Images;

/// <summary>
/// Compile-time JSON metadata for manifests and indexes: every copy parses one before its first blob moves,
/// and the reflection-based serializer spends tens of milliseconds warming up on that critical path.
/// </summary>
[JsonSerializable(typeof(ImageManifest))]
[JsonSerializable(typeof(ImageIndex))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;
