using System.Text.Json;

namespace Pipeline.Registry.Images;

/// <summary>
/// Makes the OCI image index of a multi-platform image: one descriptor per child manifest, each with the
/// <c>platform</c> a puller picks it by (<c>podman pull --platform linux/arm64</c>), in the order given. The bytes are
/// what the index digest covers, so the same children in the same order always give the same digest.
/// </summary>
public static class PlatformIndex
{
    public static RawManifest Create(IReadOnlyList<(Platform Platform, RawManifest Manifest)> children)
    {
        if (children.Count == 0)
            throw new RegistryException("an image index needs at least one platform");
        foreach (var (platform, manifest) in children)
        {
            if (manifest.IsIndex)
                throw new RegistryException(
                    $"platform {platform}: {manifest.Digest} is itself an index; an index lists image manifests"
                );
        }

        return RawManifest.From(
            new ImageIndex
            {
                MediaType = MediaTypes.OciIndex,
                Manifests = children.Select(c => c.Manifest.Descriptor with { Platform = c.Platform }).ToArray(),
            }
        );
    }

    /// <summary>The <c>os</c>, <c>architecture</c> and <c>variant</c> an image config declares (what the engine really
    /// built).</summary>
    public static Platform ReadPlatform(byte[] config)
    {
        try
        {
            using var doc = JsonDocument.Parse(config);
            var root = doc.RootElement;
            string? Field(string name) =>
                root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                    ? value.GetString()
                    : null;
            return new Platform
            {
                Os = Field("os") ?? "",
                Architecture = Field("architecture") ?? "",
                Variant = Field("variant") is { Length: > 0 } v ? v : null,
            };
        }
        catch (JsonException e)
        {
            throw new RegistryException($"an image config is not JSON: {e.Message}");
        }
    }
}
