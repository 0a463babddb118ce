using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Pipeline.Registry.Images;

namespace Pipeline.SupplyChain.Sbom;

/// <summary>
/// What one layer does to the file system, in tar order: files it adds (with their SHA-256), package databases it adds
/// (with their content), and paths it removes (whiteouts). A layer's index depends only on its bytes, so it is read
/// once per layer digest and can be kept (<see cref="LayerIndexCache"/>): base layers are shared by every image built
/// on them.
/// </summary>
public sealed record LayerIndex(IReadOnlyList<LayerIndex.Change> Changes)
{
    public enum ChangeKind
    {
        File,
        Database,
        Remove,
        RemoveChildren,
    }

    /// <summary>One step: a path and, for files, the digest (hex) or, for databases, the content.</summary>
    public sealed record Change(ChangeKind Kind, string Path, string? Sha256 = null, byte[]? Content = null);

    public static async Task<LayerIndex> ReadAsync(Stream blob, Descriptor layer, CancellationToken ct = default)
    {
        if (layer.MediaType.EndsWith("zstd", StringComparison.Ordinal))
            throw new SupplyChainException(
                $"layer {layer.Digest.Short} is zstd-compressed; the SBOM reader handles tar and tar+gzip layers"
            );
        var tar = layer.MediaType.EndsWith("gzip", StringComparison.Ordinal)
            ? new GZipStream(blob, CompressionMode.Decompress)
            : blob;
        await using var _ = tar;
        using var reader = new TarReader(tar);
        var changes = new List<Change>();
        try
        {
            while (await reader.GetNextEntryAsync(copyData: false, ct) is { } entry)
            {
                var path = Normalise(entry.Name);
                if (path.Length == 0)
                    continue;
                var name = System.IO.Path.GetFileName(path);
                var directory = System.IO.Path.GetDirectoryName(path)?.Replace('\\', '/') ?? "";
                if (name == ".wh..wh..opq")
                {
                    changes.Add(new Change(ChangeKind.RemoveChildren, directory));
                    continue;
                }

                if (name.StartsWith(".wh.", StringComparison.Ordinal))
                {
                    changes.Add(
                        new Change(ChangeKind.Remove, (directory.Length == 0 ? "" : directory + "/") + name[4..])
                    );
                    continue;
                }

                if (
                    entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                    || entry.DataStream is null
                )
                    continue;
                if (PackageDatabases.IsDatabase(path))
                {
                    using var buffer = new MemoryStream();
                    await entry.DataStream.CopyToAsync(buffer, ct);
                    var content = buffer.ToArray();
                    changes.Add(
                        new Change(
                            ChangeKind.Database,
                            path,
                            Convert.ToHexStringLower(SHA256.HashData(content)),
                            content
                        )
                    );
                }
                else
                {
                    changes.Add(
                        new Change(
                            ChangeKind.File,
                            path,
                            Convert.ToHexStringLower(await SHA256.HashDataAsync(entry.DataStream, ct))
                        )
                    );
                }
            }
        }
        catch (InvalidDataException e)
        {
            throw new SupplyChainException($"layer {layer.Digest.Short} is not a readable tar ({e.Message})");
        }

        return new LayerIndex(changes);
    }

    private static string Normalise(string name)
    {
        var path = name.Replace('\\', '/');
        while (path.StartsWith("./", StringComparison.Ordinal))
            path = path[2..];
        return path.TrimStart('/').TrimEnd('/');
    }
}
