using Pipeline.Registry;
using Pipeline.Registry.Images;

namespace Pipeline.SupplyChain.Sbom;

/// <summary>
/// What an image's file system holds once its layers are stacked: every regular file with its SHA-256, and the package
/// databases found (<see cref="PackageDatabases"/>). Whiteouts (<c>.wh.name</c>, <c>.wh..wh..opq</c>) remove what lower
/// layers added, as the runtime would.
/// </summary>
internal sealed class ImageContents
{
    private readonly SortedDictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, byte[]> _databases = new(StringComparer.Ordinal);

    /// <summary>Path (no leading slash) → SHA-256 hex.</summary>
    public IReadOnlyDictionary<string, string> Files => _files;

    /// <summary>Package databases by path (no leading slash) → content.</summary>
    public IReadOnlyDictionary<string, byte[]> Databases => _databases;

    /// <summary>How many layers were read from their bytes (the others came from <c>cache</c>).</summary>
    public int LayersRead { get; private set; }

    public static async Task<ImageContents> ReadAsync(
        IImageSource source,
        RawManifest manifest,
        LayerIndexCache? cache = null,
        CancellationToken ct = default
    )
    {
        var contents = new ImageContents();
        foreach (var layer in manifest.AsManifest().Layers)
        {
            var index = cache?.Find(layer.Digest);
            if (index is null)
            {
                await using var blob = await source.OpenBlobAsync(layer, ct);
                index = await LayerIndex.ReadAsync(blob, layer, ct);
                contents.LayersRead++;
                cache?.Save(layer.Digest, index);
            }

            contents.Apply(index);
        }

        return contents;
    }

    /// <summary>The file system that layers with these indexes make, bottom layer first.</summary>
    public static ImageContents Of(IEnumerable<LayerIndex> layers)
    {
        var contents = new ImageContents();
        foreach (var index in layers)
            contents.Apply(index);
        return contents;
    }

    private void Apply(LayerIndex index)
    {
        foreach (var change in index.Changes)
        {
            switch (change.Kind)
            {
                case LayerIndex.ChangeKind.RemoveChildren:
                    RemoveUnder(change.Path);
                    break;
                case LayerIndex.ChangeKind.Remove:
                    _files.Remove(change.Path);
                    _databases.Remove(change.Path);
                    RemoveUnder(change.Path);
                    break;
                case LayerIndex.ChangeKind.Database:
                    _databases[change.Path] = change.Content ?? [];
                    _files[change.Path] = change.Sha256 ?? "";
                    break;
                default:
                    _files[change.Path] = change.Sha256 ?? "";
                    break;
            }
        }
    }

    private void RemoveUnder(string directory)
    {
        var prefix = directory.Length == 0 ? "" : directory + "/";
        foreach (var path in _files.Keys.Where(p => p.StartsWith(prefix, StringComparison.Ordinal)).ToArray())
            _files.Remove(path);
        foreach (var path in _databases.Keys.Where(p => p.StartsWith(prefix, StringComparison.Ordinal)).ToArray())
            _databases.Remove(path);
    }
}
