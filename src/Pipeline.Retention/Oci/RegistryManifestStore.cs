using System.Globalization;
using System.Text.Json;
using Pipeline.Registry;
using Pipeline.Registry.Images;
using Pipeline.Registry.Remote;

namespace Pipeline.Retention;

/// <summary>
/// <see cref="IManifestStore"/> over Pipeline.Registry's <see cref="RegistryRepository"/>: authentication (GHCR token,
/// GAR access token, basic), retries and tag pagination come from there. Ages come from the image config's
/// <c>created</c> (one small blob per image) or an index's <c>org.opencontainers.image.created</c> annotation.
/// </summary>
public sealed class RegistryManifestStore(RegistryRepository repository) : IManifestStore
{
    private const string CreatedAnnotation = "org.opencontainers.image.created";

    public string Location => repository.Location;

    public Task<IReadOnlyList<string>> ListTagsAsync(CancellationToken cancellationToken = default) =>
        repository.ListTagsAsync(cancellationToken);

    public async Task<ManifestSummary?> GetAsync(string tagOrDigest, CancellationToken cancellationToken = default)
    {
        RawManifest raw;
        try
        {
            raw = await repository.GetManifestAsync(tagOrDigest, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException e) when (e.Status == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        var subject = Subject(raw.Bytes);
        if (raw.IsIndex)
        {
            var index = raw.AsIndex();
            return new ManifestSummary(
                raw.Digest.ToString(),
                raw.MediaType,
                index.Manifests.Select(m => m.Digest.ToString()).ToList(),
                subject,
                Created(index.Annotations),
                raw.Bytes.Length
            );
        }

        var manifest = raw.AsManifest();
        var created =
            Created(manifest.Annotations)
            ?? await ConfigCreatedAsync(manifest.Config, cancellationToken).ConfigureAwait(false);
        return new ManifestSummary(
            raw.Digest.ToString(),
            raw.MediaType,
            [],
            subject,
            created,
            raw.Bytes.Length + manifest.Blobs.Sum(b => b.Size)
        );
    }

    public Task DeleteAsync(string digest, CancellationToken cancellationToken = default) =>
        repository.DeleteManifestAsync(Digest.Parse(digest, $"{Location} version"), cancellationToken);

    private async Task<DateTimeOffset?> ConfigCreatedAsync(Descriptor config, CancellationToken cancellationToken)
    {
        // Configs are small JSON; artifacts (signatures, SBOMs) may carry an empty or non-JSON config: no age then.
        if (config.Size is <= 0 or > 1 << 20 || !config.MediaType.Contains("json", StringComparison.OrdinalIgnoreCase))
            return null;
        await using var stream = await repository.OpenBlobAsync(config, cancellationToken).ConfigureAwait(false);
        try
        {
            using var json = await JsonDocument
                .ParseAsync(stream, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            return
                json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("created", out var created)
                ? Parse(created.GetString())
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static DateTimeOffset? Created(IReadOnlyDictionary<string, string>? annotations) =>
        annotations?.TryGetValue(CreatedAnnotation, out var value) == true ? Parse(value) : null;

    private static DateTimeOffset? Parse(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : null;

    /// <summary>The OCI 1.1 <c>subject</c> digest; the registry client's manifest records do not model it.</summary>
    private static string? Subject(byte[] bytes)
    {
        using var json = JsonDocument.Parse(bytes);
        return
            json.RootElement.TryGetProperty("subject", out var subject)
            && subject.TryGetProperty("digest", out var digest)
            ? digest.GetString()
            : null;
    }
}
