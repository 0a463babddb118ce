using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Pipeline.Registry;
using Pipeline.Registry.Images;

namespace Pipeline.SupplyChain.Sbom;

/// <summary>
/// What an image's file system holds once its layers are stacked: every regular file with its SHA-256, and the package
/// databases found (<see cref="PackageDatabases"/>). Whiteouts (<c>.wh.name</c>, <c>.wh..wh..opq</c>) remove what lower
/// layers added, as the runtime would.
/// </summary>
public sealed class ImageContents
{
    private readonly SortedDictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, byte[]> _databases = new(StringComparer.Ordinal);

    /// <summary>Path (no leading slash) → SHA-256 hex.</summary>
    public IReadOnlyDictionary<string, string> Files => _files;

    /// <summary>Package databases by path (no leading slash) → content.</summary>
    public IReadOnlyDictionary<string, byte[]> Databases => _databases;

    public static async Task<ImageContents> ReadAsync(IImageSource source, RawManifest manifest, CancellationToken ct = default)
    {
        var contents = new ImageContents();
        foreach (var layer in manifest.AsManifest().Layers)
        {
            await using var blob = await source.OpenBlobAsync(layer, ct);
            await contents.ApplyLayerAsync(blob, layer, ct);
        }

        return contents;
    }

    private async Task ApplyLayerAsync(Stream blob, Descriptor layer, CancellationToken ct)
    {
        Stream tar = layer.MediaType.EndsWith("gzip", StringComparison.Ordinal) ? new GZipStream(blob, CompressionMode.Decompress) : blob;
        if (layer.MediaType.EndsWith("zstd", StringComparison.Ordinal))
            throw new SupplyChainException($"layer {layer.Digest.Short} is zstd-compressed; the SBOM reader handles tar and tar+gzip layers");
        await using var _ = tar;
        using var reader = new TarReader(tar);
        try
        {
            while (await reader.GetNextEntryAsync(copyData: false, ct) is { } entry)
            {
                var path = Normalise(entry.Name);
                if (path.Length == 0) continue;
                var name = Path.GetFileName(path);
                var directory = Path.GetDirectoryName(path)?.Replace('\\', '/') ?? "";
                if (name == ".wh..wh..opq")
                {
                    RemoveUnder(directory);
                    continue;
                }

                if (name.StartsWith(".wh.", StringComparison.Ordinal))
                {
                    var removed = (directory.Length == 0 ? "" : directory + "/") + name[4..];
                    _files.Remove(removed);
                    _databases.Remove(removed);
                    RemoveUnder(removed);
                    continue;
                }

                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null) continue;
                if (PackageDatabases.IsDatabase(path))
                {
                    using var buffer = new MemoryStream();
                    await entry.DataStream.CopyToAsync(buffer, ct);
                    _databases[path] = buffer.ToArray();
                    _files[path] = Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
                }
                else
                {
                    _files[path] = Convert.ToHexStringLower(await SHA256.HashDataAsync(entry.DataStream, ct));
                }
            }
        }
        catch (InvalidDataException e)
        {
            throw new SupplyChainException($"layer {layer.Digest.Short} is not a readable tar ({e.Message})");
        }
    }

    private void RemoveUnder(string directory)
    {
        var prefix = directory.Length == 0 ? "" : directory + "/";
        foreach (var path in _files.Keys.Where(p => p.StartsWith(prefix, StringComparison.Ordinal)).ToArray()) _files.Remove(path);
        foreach (var path in _databases.Keys.Where(p => p.StartsWith(prefix, StringComparison.Ordinal)).ToArray()) _databases.Remove(path);
    }

    private static string Normalise(string name)
    {
        var path = name.Replace('\\', '/');
        while (path.StartsWith("./", StringComparison.Ordinal)) path = path[2..];
        return path.TrimStart('/').TrimEnd('/');
    }
}
