using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Pipeline.Retention;

/// <summary>
/// Retention on Google Artifact Registry through its REST API (v1): list versions with their related tags, delete
/// versions (<c>force=true</c>, the tags go with them) and wait for the long-running delete operation. Written on
/// HttpClient because the Artifact Registry client libraries are not available from this project's NuGet feed; JSON
/// shapes follow the v1 reference.
/// </summary>
public sealed class GarPackageTarget(
    HttpClient http,
    GarPackage package,
    Func<CancellationToken, Task<string>> accessToken,
    IManifestStore manifests,
    ILogger logger,
    Uri? apiBase = null
) : IRetentionTarget
{
    private static readonly Uri DefaultApi = new("https://artifactregistry.googleapis.com/v1/");
    private readonly Uri _api = apiBase ?? DefaultApi;

    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public string Name => $"{package.DockerLocation} (Artifact Registry API)";

    public async Task<IReadOnlyList<ArtifactVersion>> ListAsync(CancellationToken cancellationToken = default)
    {
        var versions = new List<ArtifactVersion>();
        string? pageToken = null;
        do
        {
            var url =
                $"{package.ResourceName}/versions?view=FULL&pageSize=500"
                + (pageToken is null ? "" : $"&pageToken={Uri.EscapeDataString(pageToken)}");
            using var page = await SendAsync(HttpMethod.Get, url, "listing versions", cancellationToken)
                .ConfigureAwait(false);
            if (page.RootElement.TryGetProperty("versions", out var list))
            {
                foreach (var v in list.EnumerateArray())
                    versions.Add(Version(v));
            }

            pageToken =
                page.RootElement.TryGetProperty("nextPageToken", out var next)
                && next.GetString() is { Length: > 0 } token
                    ? token
                    : null;
        } while (pageToken is not null);

        return await ManifestGraph.LinkAsync(versions, manifests, logger, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(ArtifactVersion version, CancellationToken cancellationToken = default)
    {
        using var operation = await SendAsync(
                HttpMethod.Delete,
                $"{version.Id}?force=true",
                $"deleting {version.ShortDigest}",
                cancellationToken
            )
            .ConfigureAwait(false);
        var current = operation.RootElement.Clone();
        var deadline = DateTimeOffset.UtcNow + OperationTimeout;
        var delay = TimeSpan.FromMilliseconds(200);
        while (!(current.TryGetProperty("done", out var done) && done.GetBoolean()))
        {
            if (DateTimeOffset.UtcNow > deadline)
                throw new RetentionException(
                    $"Artifact Registry: deleting {version.ShortDigest} did "
                        + $"not finish within {OperationTimeout.TotalSeconds:0} s"
                );
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            var name = current.GetProperty("name").GetString();
            using var polled = await SendAsync(
                    HttpMethod.Get,
                    name!,
                    $"waiting for the deletion of {version.ShortDigest}",
                    cancellationToken
                )
                .ConfigureAwait(false);
            current = polled.RootElement.Clone();
        }

        if (current.TryGetProperty("error", out var error))
        {
            throw new RetentionException($"Artifact Registry: deleting {version.ShortDigest} failed: {Status(error)}");
        }
    }

    private ArtifactVersion Version(JsonElement v)
    {
        var name = v.GetProperty("name").GetString()!;
        var digest = Uri.UnescapeDataString(name[(name.LastIndexOf('/') + 1)..]);
        var tags = v.TryGetProperty("relatedTags", out var related)
            ? related
                .EnumerateArray()
                .Select(t => t.GetProperty("name").GetString()!)
                .Select(t => Uri.UnescapeDataString(t[(t.LastIndexOf('/') + 1)..]))
                .ToList()
            : [];
        DateTimeOffset? created = v.TryGetProperty("createTime", out var time)
            ? DateTimeOffset.Parse(time.GetString()!, CultureInfo.InvariantCulture)
            : null;
        long? size =
            v.TryGetProperty("metadata", out var metadata)
            && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("imageSizeBytes", out var bytes)
            && long.TryParse(
                bytes.ValueKind == JsonValueKind.String ? bytes.GetString() : bytes.GetRawText(),
                NumberStyles.Integer,
                CultureInfo.InvariantCulture,
                out var parsed
            )
                ? parsed
                : null;
        return new ArtifactVersion(name, digest, tags, created) { SizeBytes = size };
    }

    private async Task<JsonDocument> SendAsync(
        HttpMethod method,
        string relative,
        string what,
        CancellationToken cancellationToken
    )
    {
        using var request = new HttpRequestMessage(method, new Uri(_api, relative));
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Bearer",
            await accessToken(cancellationToken).ConfigureAwait(false)
        );
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new RetentionException(
                $"Artifact Registry API ({_api.Host}): {what} for {package.DockerLocation} failed: {e.Message}",
                e
            );
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            JsonDocument? json = null;
            try
            {
                json = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
            }
            catch (JsonException)
            {
                // Reported below with the status.
            }

            if (!response.IsSuccessStatusCode || json is null)
            {
                var detail =
                    json?.RootElement.TryGetProperty("error", out var error) == true
                        ? Status(error)
                        : $"{(int)response.StatusCode} {response.ReasonPhrase}";
                json?.Dispose();
                throw new RetentionException(
                    $"Artifact Registry API: {what} for {package.DockerLocation} answered {detail}"
                );
            }

            return json;
        }
    }

    /// <summary>google.rpc.Status as one line: <c>403 PERMISSION_DENIED: message</c>.</summary>
    private static string Status(JsonElement error)
    {
        var code = error.TryGetProperty("code", out var c) ? c.GetRawText() : "?";
        var status = error.TryGetProperty("status", out var s) ? s.GetString() + ": " : "";
        var message = error.TryGetProperty("message", out var m) ? m.GetString() : "";
        return $"{code} {status}{message}".Trim();
    }
}
