namespace Pipeline.Containers.Images;

/// <summary>
/// One platform's image of a multi-platform build: its platform (<c>linux/arm64</c>), the engine's image id, the digest
/// of its manifest as the image index names it (and as a registry will store it), and its local reference
/// (<c>localhost/app:pr-12-arm64</c>).
/// </summary>
public sealed record PlatformImage(string Platform, string Id, string Digest, string Reference);
