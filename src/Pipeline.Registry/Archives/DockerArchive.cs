using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Pipeline.Registry.Images;
using Pipeline.Registry.IO;

namespace Pipeline.Registry.Archives;

/// <summary>
/// Imports a docker-archive tar (what <c>docker save</c>, <c>podman save</c> and Docker's <c>GET /images/{name}/get</c>
/// produce: <c>manifest.json</c>, a config JSON, one tar per layer) into an OCI layout that can be pushed.
/// Uncompressed layers are gzip-compressed once and remembered by their diff ID, so an unchanged layer keeps
/// its compressed digest from one build to the next and is never uploaded twice. Every layer is checked
/// against the diff ID the config declares.
/// </summary>
internal static class DockerArchive
{
    private const long SmallEntryLimit = 4 * 1024 * 1024;

    public static async Task<ImportedImage> ImportAsync(
        string tarPath,
        OciLayout layout,
        ImportOptions? options = null,
        ILogger? logger = null,
        CancellationToken ct = default
    )
    {
        options ??= new ImportOptions();
        if (!File.Exists(tarPath))
            throw new RegistryException($"image archive {tarPath} does not exist (BuildImage writes it)");

        // Pass 1: small files (manifest.json, configs) into memory; the tar order is not fixed.
        var small = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        try
        {
            await using var file = File.OpenRead(tarPath);
            await using var tar = new TarReader(file);
            while (await tar.GetNextEntryAsync(copyData: false, ct) is { } entry)
            {
                if (entry.DataStream is null || entry.Length > SmallEntryLimit)
                    continue;
                using var buffer = new MemoryStream();
                await entry.DataStream.CopyToAsync(buffer, ct);
                small[Normalize(entry.Name)] = buffer.ToArray();
            }
        }
        catch (InvalidDataException e)
        {
            throw new RegistryException($"image archive {tarPath} is not a readable tar: {e.Message}");
        }

        if (!small.TryGetValue("manifest.json", out var manifestJson))
        {
            if (small.ContainsKey("oci-layout"))
                throw new RegistryException(
                    $"{tarPath} is an OCI archive, not a docker-archive; use ArchiveLoader.LoadAsync"
                );
            throw new RegistryException(
                $"image archive {tarPath} has no manifest.json: not a docker-archive (docker/podman save)"
            );
        }

        var entry0 = PickImage(manifestJson, options.ImageName, tarPath);
        if (!small.TryGetValue(Normalize(entry0.Config), out var configBytes))
            throw new RegistryException(
                $"image archive {tarPath}: config {entry0.Config} named by manifest.json is missing"
            );
        var diffIds = ReadDiffIds(configBytes, tarPath);
        if (diffIds.Count != entry0.Layers.Count)
            throw new RegistryException(
                $"image archive {tarPath}: config lists {diffIds.Count} layers, manifest.json {entry0.Layers.Count}"
            );

        // Pass 2: compress the layers the cache does not already hold.
        var layers = new Descriptor?[entry0.Layers.Count];
        for (var i = 0; i < layers.Length; i++)
            layers[i] = Cached(layout, diffIds[i], options);
        var wanted = Enumerable
            .Range(0, layers.Length)
            .Where(i => layers[i] is null)
            .ToLookup(i => Normalize(entry0.Layers[i]));
        if (wanted.Count > 0)
        {
            await using var file = File.OpenRead(tarPath);
            await using var tar = new TarReader(file);
            while (await tar.GetNextEntryAsync(copyData: false, ct) is { } entry)
            {
                var name = Normalize(entry.Name);
                if (!wanted.Contains(name) || entry.DataStream is null)
                    continue;
                var index = wanted[name].First();
                logger?.LogDebug(
                    "compressing layer {Index} ({Size} bytes) of {Archive}",
                    index + 1,
                    entry.Length,
                    Path.GetFileName(tarPath)
                );
                var descriptor = await StoreLayerAsync(entry.DataStream, diffIds[index], layout, options, tarPath, ct);
                foreach (var i in wanted[name])
                    layers[i] = descriptor;
            }
        }

        for (var i = 0; i < layers.Length; i++)
            if (layers[i] is null)
                throw new RegistryException($"image archive {tarPath}: layer file {entry0.Layers[i]} is missing");

        var oci = options.Format == ManifestFormat.Oci;
        var config = layout.WriteBlob(configBytes, oci ? MediaTypes.OciConfig : MediaTypes.DockerConfig);
        var manifest = RawManifest.From(
            new ImageManifest
            {
                MediaType = oci ? MediaTypes.OciManifest : MediaTypes.DockerManifest,
                Config = config,
                Layers = layers.Select(l => l! with { MediaType = LayerMediaType(l!.MediaType, oci) }).ToArray(),
            }
        );
        await layout.PutManifestAsync(manifest, options.Tag, ct);
        return new ImportedImage(layout, manifest, entry0.RepoTags);
    }

    private static Descriptor? Cached(OciLayout layout, Digest diffId, ImportOptions options)
    {
        var note = CacheNote(layout, diffId);
        if (!File.Exists(note))
            return null;
        var parts = File.ReadAllText(note).Split(' ');
        if (parts.Length != 3 || !Digest.TryParse(parts[0], out var digest) || !long.TryParse(parts[1], out var size))
            return null;
        var blob = layout.BlobPath(digest);
        return File.Exists(blob) && new FileInfo(blob).Length == size
            ? new Descriptor
            {
                MediaType = parts[2],
                Digest = digest,
                Size = size,
            }
            : null;
    }

    private static async Task<Descriptor> StoreLayerAsync(
        Stream content,
        Digest diffId,
        OciLayout layout,
        ImportOptions options,
        string tarPath,
        CancellationToken ct
    )
    {
        var temp = Path.Combine(layout.Directory, "blobs", $"import-{Guid.NewGuid():N}.partial");
        try
        {
            var head = new byte[2];
            var headLength = await content.ReadAtLeastAsync(head, 2, throwOnEndOfStream: false, ct);
            var alreadyGzip = headLength == 2 && head[0] == 0x1f && head[1] == 0x8b;
            using var compressedHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size;
            await using (
                var output = new FileStream(
                    temp,
                    FileMode.CreateNew,
                    FileAccess.Write,
                    FileShare.None,
                    1 << 16,
                    useAsync: true
                )
            )
            await using (var hashingOutput = new HashingWriteStream(output, compressedHash))
            {
                if (alreadyGzip)
                {
                    await hashingOutput.WriteAsync(head.AsMemory(0, headLength), ct);
                    await content.CopyToAsync(hashingOutput, ct);
                }
                else
                {
                    using var diffHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                    await using (var gzip = new GZipStream(hashingOutput, options.Compression, leaveOpen: true))
                    {
                        diffHash.AppendData(head, 0, headLength);
                        await gzip.WriteAsync(head.AsMemory(0, headLength), ct);
                        var buffer = new byte[1 << 16];
                        int n;
                        while ((n = await content.ReadAsync(buffer, ct)) > 0)
                        {
                            diffHash.AppendData(buffer, 0, n);
                            await gzip.WriteAsync(buffer.AsMemory(0, n), ct);
                        }
                    }

                    var actual = Digest.FromSha256Hash(diffHash.GetHashAndReset());
                    if (actual != diffId)
                        throw new RegistryException(
                            $"image archive {tarPath}: a layer's content is {actual}, but the config declares {diffId}"
                        );
                }

                size = hashingOutput.Written;
            }

            var digest = Digest.FromSha256Hash(compressedHash.GetHashAndReset());
            File.Move(temp, layout.BlobPath(digest), overwrite: true);
            var mediaType = MediaTypes.OciLayerGzip;
            Directory.CreateDirectory(Path.GetDirectoryName(CacheNote(layout, diffId))!);
            File.WriteAllText(CacheNote(layout, diffId), $"{digest} {size} {mediaType}");
            return new Descriptor
            {
                MediaType = mediaType,
                Digest = digest,
                Size = size,
            };
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }

    // Outside blobs/: the layout stays valid for other tools.
    private static string CacheNote(OciLayout layout, Digest diffId) =>
        Path.Combine(layout.Directory, "diffids", diffId.Hex);

    private static string LayerMediaType(string stored, bool oci) => oci ? stored : MediaTypes.DockerLayerGzip;

    private static string Normalize(string name) =>
        name.StartsWith("./", StringComparison.Ordinal) ? name[2..] : name.TrimStart('/');

    private static ArchiveEntry PickImage(byte[] manifestJson, string? imageName, string tarPath)
    {
        ArchiveEntry[] entries;
        try
        {
            entries = JsonSerializer.Deserialize<ArchiveEntry[]>(manifestJson) ?? [];
        }
        catch (JsonException e)
        {
            throw new RegistryException($"image archive {tarPath}: manifest.json is not valid: {e.Message}");
        }

        if (entries.Length == 0)
            throw new RegistryException($"image archive {tarPath}: manifest.json lists no image");
        if (entries.Length == 1 && imageName is null)
            return entries[0];
        if (imageName is null)
            throw new RegistryException(
                $"image archive {tarPath} holds {entries.Length} images; name one "
                    + $"({string.Join(", ", entries.SelectMany(e => e.RepoTags ?? []))})"
            );
        return entries.FirstOrDefault(e =>
                (e.RepoTags ?? []).Any(t =>
                    t == imageName
                    || t.EndsWith("/" + imageName, StringComparison.Ordinal)
                    || t.Split(':')[0].EndsWith(imageName, StringComparison.Ordinal)
                )
            )
            ?? (
                entries.Length == 1
                    ? entries[0]
                    : throw new RegistryException($"image archive {tarPath} has no image named {imageName}")
            );
    }

    private static IReadOnlyList<Digest> ReadDiffIds(byte[] config, string tarPath)
    {
        try
        {
            using var doc = JsonDocument.Parse(config);
            return doc
                .RootElement.GetProperty("rootfs")
                .GetProperty("diff_ids")
                .EnumerateArray()
                .Select(d => Digest.Parse(d.GetString() ?? "", $"{tarPath} config rootfs.diff_ids"))
                .ToArray();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new RegistryException($"image archive {tarPath}: the image config has no rootfs.diff_ids");
        }
    }

    private sealed record ArchiveEntry(
        [property: System.Text.Json.Serialization.JsonPropertyName("Config")] string Config,
        [property: System.Text.Json.Serialization.JsonPropertyName("RepoTags")] string[]? RepoTags,
        [property: System.Text.Json.Serialization.JsonPropertyName("Layers")] IReadOnlyList<string> Layers
    );
}

/// <summary>How an archive becomes a pushable image.</summary>
public sealed record ImportOptions
{
    /// <summary>Which image of a multi-image archive (a RepoTags entry or its name part).</summary>
    public string? ImageName { get; init; }

    /// <summary>Tag recorded in the layout's index.json.</summary>
    public string? Tag { get; init; }

    /// <summary>
    /// OCI by default: GHCR and GAR accept it, and OCI archives written on failover must hold OCI manifests
    /// (skopeo/podman skip Docker media types in an OCI layout's index). Docker v2 schema 2 on request.
    /// </summary>
    public ManifestFormat Format { get; init; } = ManifestFormat.Oci;

    /// <summary>Fastest keeps import time small; compressed digests stay stable through the diff-ID cache.</summary>
    public CompressionLevel Compression { get; init; } = CompressionLevel.Fastest;
}

public enum ManifestFormat
{
    Docker,
    Oci,
}

/// <summary>An archive turned into a layout plus the manifest to push.</summary>
public sealed record ImportedImage(OciLayout Layout, RawManifest Manifest, IReadOnlyList<string>? RepoTags);
