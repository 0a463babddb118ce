using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Engine.Caching;
using Pipeline.Registry;
using Pipeline.Registry.Images;
using Pipeline.Registry.Remote;

namespace Pipeline.Components.Caching;

/// <summary>
/// Cache entries as OCI artifacts in one repository: one manifest per key, tagged <c>sha256-&lt;key&gt;</c>, with its
/// own <c>artifactType</c>; the config blob is the entry (typed result, result lines, timings, file list) and each
/// output file is a layer titled with its path. A lookup is one HEAD; blobs come through the registry client, which
/// checks every digest while reading.
/// </summary>
public sealed class RegistryCacheStore(RegistryRepository repository) : ICacheStore
{
    public const string ArtifactType = "application/vnd.pipeline.cache.v1";
    public const string ConfigMediaType = "application/vnd.pipeline.cache.entry.v1+json";
    public const string FileMediaType = "application/vnd.pipeline.cache.file.v1";
    private const string TitleAnnotation = "org.opencontainers.image.title";

    // Media types keep their '+' as written (the default encoder would write \u002B; valid JSON, but not what people
    // grep for).
    private static readonly JsonSerializerOptions ManifestJson = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string Name => $"registry {repository.Location}";

    public static string Tag(string key) => "sha256-" + key;

    public async Task<CacheEntry?> FindAsync(string key, CancellationToken ct)
    {
        if (await repository.HeadManifestAsync(Tag(key), ct) is null)
            return null;
        var manifest = JsonNode.Parse((await repository.GetManifestAsync(Tag(key), ct)).Bytes)!;
        if ((string?)manifest["artifactType"] != ArtifactType)
            throw new RegistryException(
                $"{repository.Location}:{Tag(key)} is not a cache entry "
                    + $"(artifactType {(string?)manifest["artifactType"] ?? "none"})"
            );
        var config = Blob(manifest["config"]!);
        await using var stream = await repository.OpenBlobAsync(config, ct);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        var entry =
            CacheEntry.FromJson(buffer.ToArray())
            ?? throw new RegistryException($"{repository.Location}:{Tag(key)} holds an entry this version cannot read");

        // Every file the entry names must be a layer with the same digest: the layers are what is downloaded.
        var layers = manifest["layers"]!.AsArray().Select(l => Blob(l!).Digest.ToString()).ToHashSet();
        var missing = entry.Files.FirstOrDefault(f => !layers.Contains(f.Digest));
        return missing is null
            ? entry
            : throw new RegistryException(
                $"{repository.Location}:{Tag(key)}: {missing.Path} "
                    + $"({missing.Digest}) is not among the artifact's layers"
            );
    }

    public Task<Stream> OpenFileAsync(CacheEntry entry, CachedFile file, CancellationToken ct) =>
        repository.OpenBlobAsync(
            new Descriptor
            {
                MediaType = FileMediaType,
                Digest = Digest.Parse(file.Digest, $"cache entry {entry.Key[..12]}"),
                Size = file.Size,
            },
            ct
        );

    public async Task SaveAsync(CacheEntry entry, Func<CachedFile, Stream> open, CancellationToken ct)
    {
        var layers = new JsonArray();
        foreach (var file in entry.Files)
        {
            var blob = new Descriptor
            {
                MediaType = FileMediaType,
                Digest = Digest.Parse(file.Digest, file.Path),
                Size = file.Size,
            };
            await repository.WriteBlobAsync(blob, _ => Task.FromResult(open(file)), BlobWriteHints.None, ct);
            layers.Add(Node(blob, new JsonObject { [TitleAnnotation] = file.Path }));
        }

        var configBytes = entry.ToJson();
        var config = new Descriptor
        {
            MediaType = ConfigMediaType,
            Digest = Digest.Sha256(configBytes),
            Size = configBytes.Length,
        };
        await repository.WriteBlobAsync(
            config,
            _ => Task.FromResult<Stream>(new MemoryStream(configBytes)),
            BlobWriteHints.None,
            ct
        );
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciManifest,
            ["artifactType"] = ArtifactType,
            ["config"] = Node(config, null),
            ["layers"] = layers,
            ["annotations"] = new JsonObject
            {
                ["org.opencontainers.image.created"] = entry.Created.ToString("O"),
                ["dev.pipeline.cache.unit"] = entry.Unit,
            },
        };
        await repository.PutManifestAsync(
            new RawManifest(MediaTypes.OciManifest, JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJson)),
            Tag(entry.Key),
            ct
        );
    }

    private static Descriptor Blob(JsonNode node) =>
        new()
        {
            MediaType = (string?)node["mediaType"] ?? "",
            Digest = Digest.Parse((string?)node["digest"] ?? "", "cache manifest"),
            Size = (long?)node["size"] ?? 0,
        };

    private static JsonObject Node(Descriptor blob, JsonObject? annotations)
    {
        var node = new JsonObject
        {
            ["mediaType"] = blob.MediaType,
            ["digest"] = blob.Digest.ToString(),
            ["size"] = blob.Size,
        };
        if (annotations is not null)
            node["annotations"] = annotations;
        return node;
    }
}
