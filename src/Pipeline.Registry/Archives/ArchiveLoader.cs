using Microsoft.Extensions.Logging;

namespace Pipeline.Registry.Archives;

/// <summary>
/// The one way the push targets read what BuildImage produced: a docker-archive tar, an OCI archive tar or an
/// OCI layout directory, turned into a layout (the cache under <c>.nuke/temp/registry/layout</c>) and a root manifest.
/// </summary>
public static class ArchiveLoader
{
    public static async Task<ImportedImage> LoadAsync(
        string path,
        string cacheLayoutDirectory,
        ImportOptions? options = null,
        ILogger? logger = null,
        CancellationToken ct = default
    )
    {
        options ??= new ImportOptions();
        if (Directory.Exists(path))
        {
            var layout = OciLayout.Open(path);
            var manifest = await layout.GetManifestAsync(options.Tag ?? "", ct);
            return new ImportedImage(layout, manifest, null);
        }

        if (!File.Exists(path))
            throw new RegistryException(
                $"image archive {path} does not exist (BuildImage writes it; run it first or set IMAGE_ARCHIVE)"
            );
        var cache = OciLayout.OpenOrCreate(cacheLayoutDirectory);
        if (await OciArchive.IsOciArchiveAsync(path, ct))
        {
            var unpacked = await OciArchive.UnpackAsync(
                path,
                Path.Combine(cacheLayoutDirectory, "..", "oci-" + Path.GetFileNameWithoutExtension(path)),
                ct
            );
            var manifest = await unpacked.GetManifestAsync(options.Tag ?? "", ct);
            return new ImportedImage(unpacked, manifest, null);
        }

        return await DockerArchive.ImportAsync(path, cache, options, logger, ct);
    }
}
