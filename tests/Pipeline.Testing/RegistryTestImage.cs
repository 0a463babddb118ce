using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Pipeline.Testing;

/// <summary>
/// Writes a docker-archive tar (the <c>docker save</c>/<c>podman save</c> format: <c>manifest.json</c>, a config,
/// one uncompressed tar per layer) whose layers hold seeded random files, so tests and the benchmark can push
/// realistic images without a container engine. Changing <paramref name="seed"/> of one layer changes only that layer.
/// </summary>
public static class RegistryTestImage
{
    public static async Task<string> WriteDockerArchiveAsync(
        string path,
        int layers,
        int layerBytes,
        string repoTag = "localhost/pipeline-test:latest",
        int seed = 1,
        int? changedLayer = null,
        int changedSeed = 0
    )
    {
        var layerTars = new List<(string Name, byte[] Content, string DiffId)>();
        for (var i = 0; i < layers; i++)
        {
            var data = new byte[layerBytes];
            // A fixed arithmetic seed (HashCode.Combine is randomised per process): the same image in every process.
            new Random((seed * 1_000_003) + (i * 7919) + (i == changedLayer ? changedSeed * 104_729 : 0)).NextBytes(
                data
            );
            using var tarBytes = new MemoryStream();
            await using (var tar = new TarWriter(tarBytes, TarEntryFormat.Ustar, leaveOpen: true))
            {
                // Ustar: PAX entries carry the current atime/ctime, which would change the layer on every run.
                var entry = new UstarTarEntry(TarEntryType.RegularFile, $"data/layer-{i}.bin")
                {
                    DataStream = new MemoryStream(data),
                    ModificationTime = DateTimeOffset.UnixEpoch,
                };
                await tar.WriteEntryAsync(entry);
            }

            var content = tarBytes.ToArray();
            var hex = Convert.ToHexStringLower(SHA256.HashData(content));
            layerTars.Add(($"{hex}.tar", content, "sha256:" + hex));
        }

        var config = JsonSerializer.SerializeToUtf8Bytes(
            new
            {
                architecture = "amd64",
                os = "linux",
                created = "2026-01-01T00:00:00Z",
                config = new { Cmd = new[] { "/data/app" } },
                rootfs = new { type = "layers", diff_ids = layerTars.Select(l => l.DiffId).ToArray() },
                history = layerTars
                    .Select((_, i) => new { created = "2026-01-01T00:00:00Z", created_by = $"layer {i}" })
                    .ToArray(),
            }
        );
        var configName = Convert.ToHexStringLower(SHA256.HashData(config)) + ".json";
        var manifest = JsonSerializer.SerializeToUtf8Bytes(
            new[]
            {
                new
                {
                    Config = configName,
                    RepoTags = new[] { repoTag },
                    Layers = layerTars.Select(l => l.Name).ToArray(),
                },
            }
        );

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await using var file = File.Create(path);
        await using var archive = new TarWriter(file, TarEntryFormat.Ustar, leaveOpen: false);
        foreach (var (name, content, _) in layerTars)
            await Add(archive, name, content);
        await Add(archive, configName, config);
        await Add(archive, "manifest.json", manifest);
        await Add(archive, "repositories", Encoding.UTF8.GetBytes("{}"));
        return path;
    }

    private static async Task Add(TarWriter tar, string name, byte[] content) =>
        await tar.WriteEntryAsync(
            new UstarTarEntry(TarEntryType.RegularFile, name)
            {
                DataStream = new MemoryStream(content),
                ModificationTime = DateTimeOffset.UnixEpoch,
            }
        );
}
