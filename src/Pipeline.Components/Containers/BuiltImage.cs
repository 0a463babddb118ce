using Pipeline.Engine.Paths;

namespace Pipeline.Components.Containers;

/// <summary>
/// What BuildImage built, as <see cref="IBuildImage.BuiltImage"/> (persisted to
/// <c>artifacts/results/BuildImage.BuiltImage.json</c>). <see cref="Tags"/> are the tag policy's tags (<c>pr-12</c>),
/// already validated; <see cref="Reference"/> is the first local reference (<c>localhost/&lt;name&gt;:&lt;tag&gt;</c>);
/// <see cref="Archive"/> is the docker-archive the push targets read (an OCI archive for a multi-platform build), null
/// when the image was not exported; <see cref="Version"/> is the <c>org.opencontainers.image.version</c> label.
/// </summary>
public sealed record BuiltImage(
    string Name,
    string Reference,
    string Id,
    Pipeline.Registry.Digest? Digest,
    IReadOnlyList<string> Tags,
    AbsolutePath? Archive,
    string Version,
    long Size,
    int Layers,
    string? Stage
)
{
    /// <summary>
    /// A multi-platform build's images, one per platform (<c>SERVICE_&lt;NAME&gt;_PLATFORMS</c> /
    /// <c>IMAGE_PLATFORMS</c>); null when one platform was built. <see cref="Digest"/> and <see cref="IndexDigest"/>
    /// are then the index's, and <see cref="Archive"/> an OCI archive holding the index and every child.
    /// </summary>
    public IReadOnlyList<Pipeline.Containers.Images.PlatformImage>? Platforms { get; init; }

    /// <summary>The digest of the OCI image index naming every platform's image; null for a single-platform
    /// build.</summary>
    public Pipeline.Registry.Digest? IndexDigest { get; init; }
}
