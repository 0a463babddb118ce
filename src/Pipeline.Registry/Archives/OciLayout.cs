using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Registry.Images;
using Pipeline.Registry.IO;

namespace Pipeline.Registry.Archives;

/// <summary>
/// An OCI image layout directory (<c>oci-layout</c>, <c>index.json</c>, <c>blobs/sha256/...</c>): what
/// <c>skopeo copy ... oci:dir:tag</c> and <c>podman save --format oci-dir</c> read and write. Tags are the
/// <c>org.opencontainers.image.ref.name</c> annotations of index.json. Blobs are verified as they are written.
/// </summary>
public sealed class OciLayout : IImageTarget
{
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";
    private readonly Lock _indexGate = new();

    private OciLayout(string directory)
    {
        Directory = Path.GetFullPath(directory);
    }

    public string Directory { get; }

    public string Location => $"oci-layout:{Directory}";

    /// <summary>Opens a layout, creating the skeleton when the directory is empty or missing.</summary>
    public static OciLayout OpenOrCreate(string directory)
    {
        var layout = new OciLayout(directory);
        System.IO.Directory.CreateDirectory(Path.Combine(layout.Directory, "blobs", "sha256"));
        var marker = Path.Combine(layout.Directory, "oci-layout");
        if (!File.Exists(marker))
            File.WriteAllText(marker, """{"imageLayoutVersion":"1.0.0"}""");
        if (!File.Exists(layout.IndexPath))
            File.WriteAllText(layout.IndexPath, """{"schemaVersion":2,"manifests":[]}""");
        return layout;
    }

    /// <summary>Opens an existing layout; a clear error when the directory is not one.</summary>
    public static OciLayout Open(string directory)
    {
        var layout = new OciLayout(directory);
        if (!File.Exists(Path.Combine(layout.Directory, "oci-layout")) || !File.Exists(layout.IndexPath))
            throw new RegistryException($"{directory} is not an OCI image layout (oci-layout and index.json expected)");
        return layout;
    }

    private string IndexPath => Path.Combine(Directory, "index.json");

    public string BlobPath(Digest digest) => Path.Combine(Directory, "blobs", digest.Algorithm, digest.Hex);

    /// <summary>The roots listed in index.json with their tags (ref.name annotation, may be null).</summary>
    public IReadOnlyList<(Descriptor Descriptor, string? Tag)> Roots()
    {
        var index = ReadIndex();
        return index.Manifests.Select(d => (d, d.Annotations?.GetValueOrDefault(RefNameAnnotation))).ToArray();
    }

    public Task<RawManifest> GetManifestAsync(string tagOrDigest, CancellationToken ct)
    {
        Descriptor descriptor;
        if (Digest.TryParse(tagOrDigest, out var digest))
        {
            descriptor =
                Roots().Select(r => r.Descriptor).FirstOrDefault(d => d.Digest == digest)
                ?? new Descriptor
                {
                    MediaType = "",
                    Digest = digest,
                    Size = -1,
                };
        }
        else
        {
            var roots = Roots();
            var match = roots.Where(r => r.Tag == tagOrDigest).ToArray();
            if (match.Length == 0 && string.IsNullOrEmpty(tagOrDigest) && roots.Count == 1)
                match = [roots[0]];
            if (match.Length == 0)
                throw new RegistryException(
                    $"{Location}: no image tagged '{tagOrDigest}' (tags: "
                        + $"{string.Join(", ", roots.Select(r => r.Tag ?? r.Descriptor.Digest.Short))})"
                );
            descriptor = match[0].Descriptor;
        }

        var path = BlobPath(descriptor.Digest);
        if (!File.Exists(path))
            throw new RegistryException($"{Location}: manifest {descriptor.Digest} is listed but its blob is missing");
        var bytes = File.ReadAllBytes(path);
        if (!descriptor.Digest.Matches(bytes))
            throw new RegistryException($"{Location}: manifest blob {descriptor.Digest} is corrupt (digest mismatch)");
        return Task.FromResult(new RawManifest(descriptor.MediaType, bytes));
    }

    public Task<Stream> OpenBlobAsync(Descriptor blob, CancellationToken ct)
    {
        var path = BlobPath(blob.Digest);
        if (!File.Exists(path))
            throw new RegistryException($"{Location}: blob {blob.Digest} is missing");
        Stream file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return Task.FromResult<Stream>(
            new VerifyingStream(file, blob.Digest, blob.Size, $"blob {blob.Digest.Short} in {Location}")
        );
    }

    public Task<bool> HasBlobAsync(Descriptor blob, CancellationToken ct) =>
        Task.FromResult(File.Exists(BlobPath(blob.Digest)) && new FileInfo(BlobPath(blob.Digest)).Length == blob.Size);

    public async Task<BlobWriteResult> WriteBlobAsync(
        Descriptor blob,
        Func<CancellationToken, Task<Stream>> open,
        BlobWriteHints hints,
        CancellationToken ct
    )
    {
        if (await HasBlobAsync(blob, ct))
            return BlobWriteResult.AlreadyPresent;
        var temp = BlobPath(blob.Digest) + $".{Guid.NewGuid():N}.partial";
        try
        {
            await using (var source = await open(ct))
            await using (
                var verified = new VerifyingStream(
                    source,
                    blob.Digest,
                    blob.Size,
                    $"blob {blob.Digest.Short} for {Location}"
                )
            )
            await using (
                var file = new FileStream(
                    temp,
                    FileMode.CreateNew,
                    FileAccess.Write,
                    FileShare.None,
                    1 << 16,
                    useAsync: true
                )
            )
            {
                await verified.CopyToAsync(file, ct);
            }

            File.Move(temp, BlobPath(blob.Digest), overwrite: true);
            hints.BytesSent?.Report(blob.Size);
            return BlobWriteResult.Uploaded;
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }

    /// <summary>Stores a blob from bytes in memory (configs, manifests).</summary>
    public Descriptor WriteBlob(byte[] content, string mediaType)
    {
        var digest = Digest.Sha256(content);
        var path = BlobPath(digest);
        if (!File.Exists(path))
        {
            var temp = path + $".{Guid.NewGuid():N}.partial";
            File.WriteAllBytes(temp, content);
            File.Move(temp, path, overwrite: true);
        }

        return new Descriptor
        {
            MediaType = mediaType,
            Digest = digest,
            Size = content.Length,
        };
    }

    public Task<Digest?> ResolveAsync(string tagOrDigest, CancellationToken ct)
    {
        if (Digest.TryParse(tagOrDigest, out var digest))
            return Task.FromResult<Digest?>(File.Exists(BlobPath(digest)) ? digest : null);
        var match = Roots().FirstOrDefault(r => r.Tag == tagOrDigest);
        return Task.FromResult<Digest?>(match.Tag is null ? null : match.Descriptor.Digest);
    }

    public Task PutManifestAsync(RawManifest manifest, string? tag, CancellationToken ct)
    {
        WriteBlob(manifest.Bytes, manifest.MediaType);
        if (tag is null)
            return Task.CompletedTask;
        lock (_indexGate)
        {
            var index = JsonNode.Parse(File.ReadAllText(IndexPath))!.AsObject();
            var manifests = index["manifests"]?.AsArray() ?? [];
            foreach (var existing in manifests.ToArray())
            {
                if (existing?["annotations"]?[RefNameAnnotation]?.GetValue<string>() == tag)
                    manifests.Remove(existing);
            }

            manifests.Add(
                new JsonObject
                {
                    ["mediaType"] = manifest.MediaType,
                    ["digest"] = manifest.Digest.ToString(),
                    ["size"] = manifest.Bytes.Length,
                    ["annotations"] = new JsonObject { [RefNameAnnotation] = tag },
                }
            );
            index["manifests"] = manifests;
            var temp = IndexPath + ".partial";
            File.WriteAllText(temp, index.ToJsonString());
            File.Move(temp, IndexPath, overwrite: true);
        }

        return Task.CompletedTask;
    }

    /// <summary>Removes <paramref name="tag"/> from index.json (the blobs stay); false when nothing had that
    /// tag.</summary>
    public bool Untag(string tag)
    {
        lock (_indexGate)
        {
            var index = JsonNode.Parse(File.ReadAllText(IndexPath))!.AsObject();
            var manifests = index["manifests"]?.AsArray() ?? [];
            var removed = false;
            foreach (var existing in manifests.ToArray())
            {
                if (existing?["annotations"]?[RefNameAnnotation]?.GetValue<string>() != tag)
                    continue;
                manifests.Remove(existing);
                removed = true;
            }

            if (!removed)
                return false;
            index["manifests"] = manifests;
            var temp = IndexPath + ".partial";
            File.WriteAllText(temp, index.ToJsonString());
            File.Move(temp, IndexPath, overwrite: true);
            return true;
        }
    }

    private ImageIndex ReadIndex()
    {
        try
        {
            return JsonSerializer.Deserialize<ImageIndex>(File.ReadAllText(IndexPath))
                ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new RegistryException($"{IndexPath} is not a valid OCI index: {e.Message}");
        }
    }
}
