using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Pipeline.Registry.Images;
using Pipeline.Registry.Remote;

namespace Pipeline.Registry.Referrers;

/// <summary>
/// The OCI 1.1 referrers API, <c>GET /v2/&lt;name&gt;/referrers/&lt;digest&gt;</c>: an image index listing the
/// manifests whose <c>subject</c> is that digest. Registries without it answer 404 (docker-registry 2.8, GHCR today);
/// that answer is the probe, remembered per registry for the process, so the caller falls back to the tag schema
/// instead of assuming.
/// </summary>
internal static class ReferrersApi
{
    private static readonly ConcurrentDictionary<string, bool> Supported = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The referrers of <paramref name="subject"/>, or null when the registry has no referrers API.</summary>
    public static async Task<IReadOnlyList<Descriptor>?> ListAsync(
        RegistryRepository repository,
        Digest subject,
        CancellationToken ct = default
    )
    {
        if (Supported.TryGetValue(repository.Registry, out var known) && !known)
            return null;
        using var response = await repository.Transport.SendAsync(
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, repository.Url($"referrers/{subject}"));
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.OciIndex));
                return request;
            },
            repository.PullScope,
            ct
        );
        var isIndex = response.Content.Headers.ContentType?.MediaType == MediaTypes.OciIndex;
        if (response.StatusCode == HttpStatusCode.NotFound && !isIndex)
        {
            // A registry with the API answers 200 with an empty index for an unknown subject; a bare 404 means no API.
            Supported[repository.Registry] = false;
            return null;
        }

        await repository.Transport.EnsureSuccessAsync(
            response,
            $"GET referrers of {subject.Short} in {repository.Name}",
            ct
        );
        Supported[repository.Registry] = true;
        var manifest = new RawManifest(MediaTypes.OciIndex, await response.Content.ReadAsByteArrayAsync(ct));
        return manifest.AsIndex().Manifests;
    }

    /// <summary>Whether the registry of <paramref name="repository"/> has the referrers API (probes once).</summary>
    public static async Task<bool> IsSupportedAsync(
        RegistryRepository repository,
        Digest subject,
        CancellationToken ct = default
    ) =>
        Supported.TryGetValue(repository.Registry, out var known)
            ? known
            : await ListAsync(repository, subject, ct) is not null;
}
