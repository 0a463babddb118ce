using System.Text.Json;
using Pipeline.Testing;

namespace Pipeline.Retention.Tests.Fixtures;

/// <summary>
/// A local stand-in for the Artifact Registry REST API v1 (Google cannot be reached from tests), following its
/// documented shapes: <c>packages.versions.list</c> (<c>view=FULL</c>, <c>relatedTags</c>, <c>nextPageToken</c>),
/// <c>packages.versions.delete</c> (<c>force=true</c>; answers a long-running Operation, first not done) and
/// <c>operations.get</c>. Errors are google.rpc.Status. Deleting a version deletes its manifest in the backing
/// registry, which stands in for the docker.pkg.dev endpoint.
/// </summary>
public sealed class FakeArtifactRegistryApi : IDisposable
{
    private const string Package = "projects/proj/locations/europe-west1/repositories/images/packages/acme%2Fapp";
    private readonly LoopbackServer _server;
    private readonly List<(string Digest, DateTimeOffset Created, string[] Tags)> _versions = [];
    private readonly HashSet<string> _pendingOperations = [];
    private readonly Func<string, Task> _deleteManifest;

    public FakeArtifactRegistryApi(string token, Func<string, Task> deleteManifest)
    {
        Token = token;
        _deleteManifest = deleteManifest;
        _server = new LoopbackServer(HandleAsync);
    }

    public string Token { get; }

    public Uri BaseUri => new(_server.BaseUri, "v1/");

    public bool DenyDeletes { get; set; }

    public IReadOnlyList<string> Requests => _server.Requests;

    public List<string> Deleted { get; } = [];

    public void Add(string digest, DateTimeOffset created, params string[] tags) =>
        _versions.Add((digest, created, tags));

    public void Dispose() => _server.Dispose();

    private async Task<StandInAnswer> HandleAsync(StandInRequest request)
    {
        if (request.Headers["Authorization"] != $"Bearer {Token}")
        {
            return Error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.");
        }

        var path = request.Url!.AbsolutePath;
        if (request.HttpMethod == "GET" && path == $"/v1/{Package}/versions")
        {
            // Two versions per page, so the client must follow nextPageToken.
            var start = int.TryParse(request.QueryString["pageToken"], out var token) ? token : 0;
            var page = _versions
                .Where(v => !Deleted.Contains(v.Digest))
                .Skip(start)
                .Take(2)
                .Select(v => new Dictionary<string, object>
                {
                    ["name"] = $"{Package}/versions/{v.Digest}",
                    ["createTime"] = v.Created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ"),
                    ["updateTime"] = v.Created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ"),
                    ["relatedTags"] = v
                        .Tags.Select(t => new
                        {
                            name = $"{Package}/tags/{t}",
                            version = $"{Package}/versions/{v.Digest}",
                        })
                        .ToArray(),
                    ["metadata"] = new Dictionary<string, object>
                    {
                        ["imageSizeBytes"] = "1048576",
                        ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
                    },
                })
                .ToList();
            var remaining = _versions.Count(v => !Deleted.Contains(v.Digest));
            var body = new Dictionary<string, object> { ["versions"] = page };
            if (start + 2 < remaining)
                body["nextPageToken"] = (start + 2).ToString();
            return LoopbackServer.Json(200, JsonSerializer.Serialize(body));
        }

        if (
            request.HttpMethod == "DELETE"
            && path.StartsWith($"/v1/{Package}/versions/", StringComparison.Ordinal)
            && request.QueryString["force"] == "true"
        )
        {
            if (DenyDeletes)
            {
                return Error(
                    403,
                    "PERMISSION_DENIED",
                    "Permission 'artifactregistry.versions.delete' denied on resource"
                );
            }

            var digest = Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..]);
            await _deleteManifest(digest);
            Deleted.Add(digest);
            var operation = $"projects/proj/locations/europe-west1/operations/{Guid.NewGuid():N}";
            lock (_pendingOperations)
                _pendingOperations.Add(operation);
            return LoopbackServer.Json(200, JsonSerializer.Serialize(new { name = operation, done = false }));
        }

        if (
            request.HttpMethod == "GET"
            && path.StartsWith("/v1/projects/proj/locations/europe-west1/operations/", StringComparison.Ordinal)
        )
        {
            lock (_pendingOperations)
                _pendingOperations.Remove(path["/v1/".Length..]);
            return LoopbackServer.Json(
                200,
                JsonSerializer.Serialize(
                    new
                    {
                        name = path["/v1/".Length..],
                        done = true,
                        response = new Dictionary<string, string>
                        {
                            ["@type"] = "type.googleapis.com/google.protobuf.Empty",
                        },
                    }
                )
            );
        }

        return Error(404, "NOT_FOUND", $"{request.HttpMethod} {path}");
    }

    private static StandInAnswer Error(int code, string status, string message) =>
        LoopbackServer.Json(
            code,
            JsonSerializer.Serialize(
                new
                {
                    error = new
                    {
                        code,
                        message,
                        status,
                    },
                }
            )
        );
}
