using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Pipeline.Registry.Auth;
using Pipeline.Registry.Images;
using Pipeline.Registry.IO;

namespace Pipeline.Registry.Remote;

/// <summary>One repository of a registry: blobs, manifests, tags. It is both a source and a target for
/// copies.</summary>
public sealed class RegistryRepository : IImageSource, IImageTarget
{
    private readonly RegistryClient _client;
    private readonly BlobUploader _uploader;

    internal RegistryRepository(RegistryClient client, string name, ILogger logger)
    {
        _client = client;
        Name = name;
        _uploader = new BlobUploader(this, logger);
    }

    public string Name { get; }

    public string Registry => _client.Registry;

    public string Location => $"{Registry}/{Name}";

    public RegistryTransport Transport => _client.Transport;

    public TransferStatistics Statistics => _client.Statistics;

    internal AccessScope PullScope => AccessScope.Pull(Name);

    internal AccessScope PushScope => AccessScope.Push(Name);

    public Reference Reference(string? tag = null, Digest? digest = null) => new(Registry, Name, tag, digest);

    // ---- blobs

    public async Task<bool> BlobExistsAsync(Digest digest, CancellationToken ct = default)
    {
        using var response = await Transport.SendAsync(
            () => new HttpRequestMessage(HttpMethod.Head, Url($"blobs/{digest}")),
            PullScope,
            ct
        );
        if (response.StatusCode == HttpStatusCode.NotFound)
            return false;
        await Transport.EnsureSuccessAsync(response, $"HEAD blob {digest.Short} in {Name}", ct);
        return true;
    }

    public Task<bool> HasBlobAsync(Descriptor blob, CancellationToken ct) => BlobExistsAsync(blob.Digest, ct);

    /// <summary>The blob's content, digest-checked at its end; a connection cut half-way is resumed from the next byte
    /// (<see cref="ResumingBlobStream"/>).</summary>
    public async Task<Stream> OpenBlobAsync(Descriptor blob, CancellationToken ct) =>
        new VerifyingStream(
            await ResumingBlobStream.OpenAsync(this, blob, ct),
            blob.Digest,
            blob.Size,
            $"blob {blob.Digest.Short} from {Location}"
        );

    public async Task<BlobWriteResult> WriteBlobAsync(
        Descriptor blob,
        Func<CancellationToken, Task<Stream>> open,
        BlobWriteHints hints,
        CancellationToken ct
    ) => await _uploader.UploadAsync(blob, open, hints, ct);

    /// <summary>Links a blob from another repository of this registry without sending it; false when the registry
    /// declined.</summary>
    public Task<bool> MountBlobAsync(Digest digest, string fromRepository, CancellationToken ct = default) =>
        _uploader.TryMountAsync(digest, fromRepository, ct);

    public async Task DeleteBlobAsync(Digest digest, CancellationToken ct = default)
    {
        using var response = await Transport.SendAsync(
            () => new HttpRequestMessage(HttpMethod.Delete, Url($"blobs/{digest}")),
            AccessScope.Delete(Name),
            ct
        );
        await Transport.EnsureSuccessAsync(response, $"DELETE blob {digest.Short} in {Name}", ct);
    }

    // ---- manifests

    public async Task<RawManifest> GetManifestAsync(string tagOrDigest, CancellationToken ct)
    {
        using var response = await Transport.SendAsync(
            () => ManifestRequest(HttpMethod.Get, tagOrDigest),
            PullScope,
            ct
        );
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new RegistryException(
                $"{Location}: manifest '{tagOrDigest}' not found",
                response.StatusCode,
                "MANIFEST_UNKNOWN"
            );
        await Transport.EnsureSuccessAsync(response, $"GET manifest {tagOrDigest} of {Name}", ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        try
        {
            var manifest = new RawManifest(response.Content.Headers.ContentType?.MediaType ?? "", bytes);
            if (Digest.TryParse(tagOrDigest, out var asked) && manifest.Digest != asked)
                throw new RegistryException(
                    $"{Location}: manifest {asked} came back with digest {manifest.Digest}; refusing it"
                );
            _ = manifest.References(); // the shape is checked here, where the source can still be named
            return manifest;
        }
        catch (Exception e)
            when (e is JsonException or RegistryException and not RegistryUnavailableException
                && e.Message.IndexOf(Location, StringComparison.Ordinal) < 0
            )
        {
            throw new RegistryException(
                $"{Location}: the answer to GET manifest '{tagOrDigest}' is not a usable manifest: {OneLine(e.Message)}"
            );
        }
    }

    /// <summary>The descriptor of a tag or digest, or null when absent (HEAD; no body transferred).</summary>
    public async Task<Descriptor?> HeadManifestAsync(string tagOrDigest, CancellationToken ct = default)
    {
        using var response = await Transport.SendAsync(
            () => ManifestRequest(HttpMethod.Head, tagOrDigest),
            PullScope,
            ct
        );
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        await Transport.EnsureSuccessAsync(response, $"HEAD manifest {tagOrDigest} of {Name}", ct);
        var digestHeader = response.Headers.TryGetValues("Docker-Content-Digest", out var values)
            ? values.FirstOrDefault()
            : null;
        if (digestHeader is null)
        {
            // Not every registry sends the header on HEAD; the body is small, read it.
            var manifest = await GetManifestAsync(tagOrDigest, ct);
            return manifest.Descriptor;
        }

        return new Descriptor
        {
            MediaType = response.Content.Headers.ContentType?.MediaType ?? "",
            Digest = Digest.Parse(digestHeader, $"{Location} Docker-Content-Digest header"),
            Size = response.Content.Headers.ContentLength ?? 0,
        };
    }

    public async Task<Digest?> ResolveAsync(string tagOrDigest, CancellationToken ct) =>
        (await HeadManifestAsync(tagOrDigest, ct))?.Digest;

    public async Task PutManifestAsync(RawManifest manifest, string? tag, CancellationToken ct)
    {
        var identifier = tag ?? manifest.Digest.ToString();
        using var response = await Transport.SendAsync(
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Put, Url($"manifests/{identifier}"))
                {
                    Content = new ByteArrayContent(manifest.Bytes),
                };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(manifest.MediaType);
                return request;
            },
            PushScope,
            ct
        );
        await Transport.EnsureSuccessAsync(response, $"PUT manifest {identifier} to {Name}", ct);
        if (
            response.Headers.TryGetValues("Docker-Content-Digest", out var values)
            && values.FirstOrDefault() is { } stored
            && stored != manifest.Digest.ToString()
        )
            throw new RegistryException(
                $"{Location}: the registry stored manifest {identifier} as {stored}, expected {manifest.Digest}"
            );
    }

    public async Task DeleteManifestAsync(Digest digest, CancellationToken ct = default)
    {
        using var response = await Transport.SendAsync(
            () => new HttpRequestMessage(HttpMethod.Delete, Url($"manifests/{digest}")),
            AccessScope.Delete(Name),
            ct
        );
        await Transport.EnsureSuccessAsync(response, $"DELETE manifest {digest.Short} in {Name}", ct);
    }

    // ---- tags

    /// <summary>All tags, following <c>Link: &lt;...&gt;; rel="next"</c> pagination.</summary>
    public async Task<IReadOnlyList<string>> ListTagsAsync(CancellationToken ct = default)
    {
        var tags = new List<string>();
        var next = Url("tags/list?n=1000");
        while (next is not null)
        {
            var page = next;
            using var response = await Transport.SendAsync(
                () => new HttpRequestMessage(HttpMethod.Get, page),
                PullScope,
                ct
            );
            if (response.StatusCode == HttpStatusCode.NotFound)
                return tags; // repository does not exist yet
            await Transport.EnsureSuccessAsync(response, $"list tags of {Name}", ct);
            tags.AddRange(ParseTags(await response.Content.ReadAsStringAsync(ct)));
            next = NextPage(response);
        }

        return tags;
    }

    internal Uri Url(string relative) => Transport.Url($"v2/{Name}/{relative}");

    private static string OneLine(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length > 200 ? line[..200] + "..." : line;
    }

    /// <summary><c>{"name": "...", "tags": ["a", "b"]}</c>; <c>"tags": null</c> is an empty repository. Anything else
    /// is named, not thrown raw.</summary>
    private IEnumerable<string> ParseTags(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new JsonException("not an object");
            if (!root.TryGetProperty("tags", out var array) || array.ValueKind == JsonValueKind.Null)
                return [];
            if (
                array.ValueKind != JsonValueKind.Array
                || array.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String)
            )
                throw new JsonException("'tags' is not a list of strings");
            return array.EnumerateArray().Select(t => t.GetString()!).ToArray();
        }
        catch (JsonException e)
        {
            throw new RegistryException(
                $"{Location}: the tag list answer is not the distribution API's JSON ({OneLine(e.Message)})"
            );
        }
    }

    private HttpRequestMessage ManifestRequest(HttpMethod method, string tagOrDigest)
    {
        var request = new HttpRequestMessage(method, Url($"manifests/{tagOrDigest}"));
        foreach (var type in MediaTypes.AllManifests)
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        return request;
    }

    private Uri? NextPage(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
            return null;
        foreach (var link in links)
        {
            var start = link.IndexOf('<');
            var end = link.IndexOf('>');
            if (start >= 0 && end > start && link.Contains("rel=\"next\"", StringComparison.OrdinalIgnoreCase))
                return new Uri(Transport.BaseUri, link[(start + 1)..end]);
        }

        return null;
    }
}
