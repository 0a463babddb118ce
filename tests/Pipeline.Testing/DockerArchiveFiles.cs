using System.Formats.Tar;
using System.Text.Json;

namespace Pipeline.Testing;

/// <summary>Reads what an exported image (docker-archive, as <c>docker save</c> writes it) contains.</summary>
public static class DockerArchiveFiles
{
    /// <summary>Every path in every layer of the first image of a docker-archive.</summary>
    public static IReadOnlySet<string> ListArchive(string archive)
    {
        var members = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using (var stream = File.OpenRead(archive))
        using (var reader = new TarReader(stream))
        {
            while (reader.GetNextEntry() is { } entry)
            {
                if (entry.DataStream is null)
                    continue;
                using var copy = new MemoryStream();
                entry.DataStream.CopyTo(copy);
                members[entry.Name.TrimStart('.', '/')] = copy.ToArray();
            }
        }

        using var manifest = JsonDocument.Parse(members["manifest.json"]);
        var files = new HashSet<string>(StringComparer.Ordinal);
        foreach (var layer in manifest.RootElement[0].GetProperty("Layers").EnumerateArray())
        {
            using var layerStream = new MemoryStream(members[layer.GetString()!]);
            using var layerReader = new TarReader(layerStream);
            while (layerReader.GetNextEntry() is { } entry)
            {
                var name = entry.Name.TrimStart('.', '/').TrimEnd('/');
                if (name.Length > 0)
                    files.Add(name);
            }
        }

        return files;
    }
}
