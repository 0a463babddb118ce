using System.Text.Json;
using Pipeline.Registry;

namespace Pipeline.SupplyChain.Sbom;

/// <summary>
/// Layer indexes kept in a per-user folder, one file per layer digest (<c>&lt;hex&gt;.json</c>). Reading 65 MB of
/// layers to list their files is most of what an SBOM costs; a layer's list never changes, so later images that share
/// it (the base, the dependencies) only read their new layers. An unreadable entry is read again from the layer, never
/// trusted.
/// </summary>
public sealed class LayerIndexCache(string directory)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Directory { get; } = directory;

    public LayerIndex? Find(Digest layer)
    {
        var path = PathOf(layer);
        try
        {
            if (!File.Exists(path))
                return null;
            var index = JsonSerializer.Deserialize<LayerIndex>(File.ReadAllBytes(path), Json);
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow); // most recently used, for whoever prunes the folder
            return index;
        }
        catch (Exception e)
            when (e is IOException or JsonException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
    }

    public void Save(Digest layer, LayerIndex index)
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            var temporary = PathOf(layer) + $".{Environment.ProcessId}.tmp";
            File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(index, Json));
            File.Move(temporary, PathOf(layer), overwrite: true); // whole or absent: a reader never sees half a file
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A cache that cannot be written costs time on the next push, nothing else.
        }
    }

    private string PathOf(Digest layer) => Path.Combine(Directory, $"{layer.Algorithm}-{layer.Hex}.json");
}
