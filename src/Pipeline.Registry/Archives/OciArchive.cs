using System.Formats.Tar;

namespace Pipeline.Registry.Archives;

/// <summary>
/// An OCI layout packed in a tar (<c>oci-archive:</c> for skopeo/podman). Packing writes the blobs the layout's
/// roots reach; unpacking verifies every blob against its file name before it lands in the target layout.
/// </summary>
internal static class OciArchive
{
    /// <summary>Packs <paramref name="layout"/> into <paramref name="tarPath"/> (written beside, then moved: never half
    /// a file).</summary>
    public static async Task PackAsync(OciLayout layout, string tarPath, CancellationToken ct = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(tarPath))!);
        var temp = tarPath + ".partial";
        await using (var file = File.Create(temp))
        await using (var tar = new TarWriter(file, TarEntryFormat.Pax, leaveOpen: false))
        {
            await tar.WriteEntryAsync(Path.Combine(layout.Directory, "oci-layout"), "oci-layout", ct);
            await tar.WriteEntryAsync(Path.Combine(layout.Directory, "index.json"), "index.json", ct);
            foreach (
                var blob in Directory
                    .EnumerateFiles(Path.Combine(layout.Directory, "blobs"), "*", SearchOption.AllDirectories)
                    .Where(f => !f.EndsWith(".partial", StringComparison.Ordinal))
            )
            {
                await tar.WriteEntryAsync(blob, Path.GetRelativePath(layout.Directory, blob).Replace('\\', '/'), ct);
            }
        }

        File.Move(temp, tarPath, overwrite: true);
    }

    /// <summary>Unpacks an OCI archive into a (new or existing) layout directory, verifying each blob's
    /// digest.</summary>
    public static async Task<OciLayout> UnpackAsync(
        string tarPath,
        string layoutDirectory,
        CancellationToken ct = default
    )
    {
        var layout = OciLayout.OpenOrCreate(layoutDirectory);
        await using var file = File.OpenRead(tarPath);
        await using var tar = new TarReader(file);
        while (await tar.GetNextEntryAsync(copyData: false, ct) is { } entry)
        {
            if (
                entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                || entry.DataStream is null
            )
                continue;
            var name = entry.Name.TrimStart('.', '/');
            if (name == "index.json")
            {
                await using var index = File.Create(Path.Combine(layout.Directory, "index.json"));
                await entry.DataStream.CopyToAsync(index, ct);
            }
            else if (name.StartsWith("blobs/", StringComparison.Ordinal))
            {
                var parts = name.Split('/');
                if (parts.Length != 3 || !Digest.TryParse($"{parts[1]}:{parts[2]}", out var digest))
                    throw new RegistryException($"{tarPath}: unexpected entry '{name}' under blobs/");
                var descriptor = new Images.Descriptor
                {
                    MediaType = "",
                    Digest = digest,
                    Size = entry.Length,
                };
                await layout.WriteBlobAsync(
                    descriptor,
                    _ => Task.FromResult(entry.DataStream),
                    Images.BlobWriteHints.None,
                    ct
                );
            }
        }

        return OciLayout.Open(layout.Directory);
    }

    /// <summary>True when the tar holds an OCI layout (oci-layout + index.json) rather than a docker-archive.</summary>
    public static async Task<bool> IsOciArchiveAsync(string tarPath, CancellationToken ct = default)
    {
        await using var file = File.OpenRead(tarPath);
        await using var tar = new TarReader(file);
        var hasLayout = false;
        var hasDockerManifest = false;
        while (await tar.GetNextEntryAsync(copyData: false, ct) is { } entry)
        {
            var name = entry.Name.TrimStart('.', '/');
            hasLayout |= name == "oci-layout";
            hasDockerManifest |= name == "manifest.json";
        }

        return hasLayout && !hasDockerManifest;
    }
}
