using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Retention.Tests.Fixtures;

/// <summary>
/// Pushes small synthetic images into a registry with the distribution API (blob upload, manifest PUT): single images
/// with a known <c>created</c> date, and multi-arch indexes with platform images and a BuildKit-style attestation
/// manifest.
/// </summary>
public sealed class ImageSeeder(Uri registry, string repository) : IDisposable
{
    private const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    private const string OciIndex = "application/vnd.oci.image.index.v1+json";
    private readonly HttpClient _http = new() { BaseAddress = registry };
    private int _seed;

    public void Dispose() => _http.Dispose();

    /// <summary>An image manifest (config with <c>created</c>, one layer); tagged when <paramref name="tag"/> is given.
    /// Returns its digest.</summary>
    public async Task<string> ImageAsync(
        DateTimeOffset created,
        string? tag = null,
        string architecture = "amd64",
        string? subject = null
    )
    {
        var config = Encoding.UTF8.GetBytes(
            JsonSerializer.Serialize(
                new
                {
                    created = created.UtcDateTime.ToString("O"),
                    architecture,
                    os = "linux",
                    rootfs = new { type = "layers", diff_ids = Array.Empty<string>() },
                    seed = ++_seed,
                }
            )
        );
        var layer = Encoding.UTF8.GetBytes($"layer {_seed} {architecture}");
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciManifest,
            ["config"] = await BlobAsync(config, "application/vnd.oci.image.config.v1+json"),
            ["layers"] = new JsonArray(await BlobAsync(layer, "application/vnd.oci.image.layer.v1.tar")),
        };
        if (subject is not null)
            manifest["subject"] = new JsonObject
            {
                ["mediaType"] = OciManifest,
                ["digest"] = subject,
                ["size"] = 1,
            };
        return await PutManifestAsync(manifest, OciManifest, tag);
    }

    /// <summary>An index of amd64 and arm64 images plus an attestation manifest, as BuildKit pushes it. Returns (index,
    /// children).</summary>
    public async Task<(string Index, string[] Children)> MultiArchAsync(DateTimeOffset created, string? tag)
    {
        var amd64 = await ImageAsync(created, architecture: "amd64");
        var arm64 = await ImageAsync(created, architecture: "arm64");
        var attestation = await ImageAsync(created, architecture: "unknown");
        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciIndex,
            ["manifests"] = new JsonArray(
                await DescriptorAsync(amd64, new JsonObject { ["architecture"] = "amd64", ["os"] = "linux" }),
                await DescriptorAsync(arm64, new JsonObject { ["architecture"] = "arm64", ["os"] = "linux" }),
                await DescriptorAsync(
                    attestation,
                    new JsonObject { ["architecture"] = "unknown", ["os"] = "unknown" },
                    new JsonObject
                    {
                        ["vnd.docker.reference.type"] = "attestation-manifest",
                        ["vnd.docker.reference.digest"] = amd64,
                    }
                )
            ),
        };
        return (await PutManifestAsync(index, OciIndex, tag), [amd64, arm64, attestation]);
    }

    /// <summary>An index of images already pushed (<c>os</c> linux, the architecture given), as a rebuild that left a
    /// platform unchanged pushes it. Returns its digest.</summary>
    public async Task<string> IndexAsync(string? tag, params (string Digest, string Architecture)[] children)
    {
        var manifests = new JsonArray();
        foreach (var (digest, architecture) in children)
            manifests.Add(
                await DescriptorAsync(digest, new JsonObject { ["architecture"] = architecture, ["os"] = "linux" })
            );
        return await PutManifestAsync(
            new JsonObject
            {
                ["schemaVersion"] = 2,
                ["mediaType"] = OciIndex,
                ["manifests"] = manifests,
            },
            OciIndex,
            tag
        );
    }

    public async Task TagAsync(string digest, string tag)
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/manifests/{digest}");
        get.Headers.Accept.ParseAdd(OciManifest);
        get.Headers.Accept.ParseAdd(OciIndex);
        using var response = await _http.SendAsync(get);
        response.EnsureSuccessStatusCode();
        var bytes = await response.Content.ReadAsByteArrayAsync();
        using var put = new ByteArrayContent(bytes);
        put.Headers.ContentType = response.Content.Headers.ContentType;
        (await _http.PutAsync($"v2/{repository}/manifests/{tag}", put)).EnsureSuccessStatusCode();
    }

    public async Task<bool> ExistsAsync(string reference)
    {
        using var head = new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/manifests/{reference}");
        head.Headers.Accept.ParseAdd(OciManifest);
        head.Headers.Accept.ParseAdd(OciIndex);
        using var response = await _http.SendAsync(head);
        return response.StatusCode == HttpStatusCode.OK;
    }

    public async Task DeleteAsync(string digest) =>
        (await _http.DeleteAsync($"v2/{repository}/manifests/{digest}")).EnsureSuccessStatusCode();

    private async Task<JsonObject> DescriptorAsync(string digest, JsonObject platform, JsonObject? annotations = null)
    {
        using var head = new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/manifests/{digest}");
        head.Headers.Accept.ParseAdd(OciManifest);
        using var response = await _http.SendAsync(head);
        response.EnsureSuccessStatusCode();
        var descriptor = new JsonObject
        {
            ["mediaType"] = OciManifest,
            ["digest"] = digest,
            ["size"] = response.Content.Headers.ContentLength,
            ["platform"] = platform,
        };
        if (annotations is not null)
            descriptor["annotations"] = annotations;
        return descriptor;
    }

    private async Task<JsonObject> BlobAsync(byte[] content, string mediaType)
    {
        var digest = Digest(content);
        var start = await _http.PostAsync($"v2/{repository}/blobs/uploads/", null);
        start.EnsureSuccessStatusCode();
        var location = start.Headers.Location!;
        var upload = location.IsAbsoluteUri ? location : new Uri(_http.BaseAddress!, location);
        var separator = upload.Query.Length > 0 ? "&" : "?";
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        (await _http.PutAsync($"{upload}{separator}digest={digest}", body)).EnsureSuccessStatusCode();
        return new JsonObject
        {
            ["mediaType"] = mediaType,
            ["digest"] = digest,
            ["size"] = content.Length,
        };
    }

    private async Task<string> PutManifestAsync(JsonObject manifest, string mediaType, string? tag)
    {
        var bytes = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        var digest = Digest(bytes);
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        (await _http.PutAsync($"v2/{repository}/manifests/{tag ?? digest}", content)).EnsureSuccessStatusCode();
        return digest;
    }

    private static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
}
