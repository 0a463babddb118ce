using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Pipeline.Registry.Images;

/// <summary>
/// A manifest or index as bytes plus media type. The bytes are what the digest covers, so they travel unchanged:
/// a copy by digest must never re-serialise.
/// </summary>
public sealed class RawManifest
{
    public RawManifest(string mediaType, byte[] bytes)
    {
        Bytes = bytes;
        Digest = Digest.Sha256(bytes);
        MediaType = string.IsNullOrEmpty(mediaType) ? SniffMediaType(bytes) : mediaType;
    }

    public string MediaType { get; }

    public byte[] Bytes { get; }

    public Digest Digest { get; }

    public bool IsIndex => MediaTypes.IsIndex(MediaType);

    public Descriptor Descriptor =>
        new()
        {
            MediaType = MediaType,
            Digest = Digest,
            Size = Bytes.Length,
        };

    public static RawManifest From(ImageManifest manifest) =>
        new(
            manifest.MediaType ?? MediaTypes.OciManifest,
            JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJsonContext.Default.ImageManifest)
        );

    public static RawManifest From(ImageIndex index) =>
        new(
            index.MediaType ?? MediaTypes.OciIndex,
            JsonSerializer.SerializeToUtf8Bytes(index, ManifestJsonContext.Default.ImageIndex)
        );

    public ImageManifest AsManifest()
    {
        if (IsIndex)
            throw new RegistryException($"manifest {Digest} is an index ({MediaType}), not an image manifest");
        var manifest = Deserialize(ManifestJsonContext.Default.ImageManifest);
        if (manifest.Config is null || manifest.Layers is null || manifest.Layers.Any(l => l is null))
            throw new RegistryException(
                $"manifest {Digest} ({MediaType}) is not valid: 'config' "
                    + $"and every entry of 'layers' must be descriptors"
            );
        return manifest;
    }

    public ImageIndex AsIndex()
    {
        if (!IsIndex)
            throw new RegistryException($"manifest {Digest} is an image manifest ({MediaType}), not an index");
        var index = Deserialize(ManifestJsonContext.Default.ImageIndex);
        if (index.Manifests is null || index.Manifests.Any(m => m is null))
            throw new RegistryException(
                $"manifest {Digest} ({MediaType}) is not valid: every entry of 'manifests' must be a descriptor"
            );
        return index;
    }

    /// <summary>The digests a registry must hold before it accepts this manifest: blobs, or child manifests for an
    /// index.</summary>
    public IReadOnlyList<Descriptor> References() => IsIndex ? AsIndex().Manifests : AsManifest().Blobs.ToArray();

    private T Deserialize<T>(JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(Bytes, type)
                ?? throw new RegistryException($"manifest {Digest} is empty");
        }
        catch (JsonException e)
        {
            throw new RegistryException($"manifest {Digest} ({MediaType}) is not valid: {e.Message}");
        }
    }

    /// <summary>Manifests from OCI layouts may omit mediaType; tell index from manifest by their fields.</summary>
    private static string SniffMediaType(byte[] bytes)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new RegistryException($"manifest {Digest.Sha256(bytes)} is not a JSON object");
            if (
                root.TryGetProperty("mediaType", out var m)
                && m.ValueKind == JsonValueKind.String
                && m.GetString() is { Length: > 0 } declared
            )
                return declared;
            return root.TryGetProperty("manifests", out _) ? MediaTypes.OciIndex : MediaTypes.OciManifest;
        }
        catch (JsonException)
        {
            throw new RegistryException($"manifest {Digest.Sha256(bytes)} is not JSON");
        }
    }
}
