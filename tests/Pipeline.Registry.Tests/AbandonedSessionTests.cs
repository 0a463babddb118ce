using Pipeline.Registry.Archives;
using Pipeline.Registry.Copying;
using Pipeline.Registry.Remote;

namespace Pipeline.Registry.Tests;

/// <summary>
/// An upload whose connection drops (the monolithic PUT never reaches the registry) is abandoned: its session is
/// cancelled with a DELETE, and a DELETE answered 503 is retried, so no half-written session is left in the registry.
/// </summary>
public sealed class AbandonedSessionTests
{
    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task A_session_abandoned_after_a_dropped_connection_is_deleted_even_when_the_first_delete_meets_a_503()
    {
        using var temp = new TempFolder();
        var registry = await SharedRegistry.OpenAsync();
        await using var proxy = await RegistryFaultProxy.StartAsync(registry.Host, FaultPlan.None);
        var puts = 0;
        var deletes = 0;
        proxy.Rule = (method, path) =>
            method switch
            {
                "PUT"
                    when path.Contains("/blobs/uploads/", StringComparison.Ordinal)
                        && Interlocked.Increment(ref puts) == 1 => ProxyFault.DropBefore,
                "DELETE" when Interlocked.Increment(ref deletes) == 1 => ProxyFault.ServerError,
                _ => null,
            };
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["a.tar"], 1, 300_000),
            temp["layout"]
        );
        using var client = new RegistryClient(proxy.Host, options: TestOptions.Fast with { MaxParallelBlobs = 1 });

        var result = await new ImageCopier(maxParallelBlobs: 1).CopyAsync(
            image.Layout,
            image.Manifest.Digest.ToString(),
            client.Repository(registry.Repository("a/app")),
            ["v1"]
        );

        Assert.Equal(
            image.Manifest.Digest.ToString(),
            await Skopeo.InspectDigestAsync($"docker://{registry.Reference("a/app")}:v1")
        );
        Assert.Equal(image.Manifest.Digest, result.Digest);
        var log = proxy.Log.ToList();
        var dropped = log.FindIndex(e => e.Fault == ProxyFault.DropBefore);
        var refused = log.FindIndex(e => e.Method == "DELETE" && e.Fault == ProxyFault.ServerError);
        var deleted = log.FindIndex(e => e.Method == "DELETE" && e.Fault is null && e.Status == 204);
        Assert.True(
            dropped >= 0 && refused > dropped && deleted > refused,
            $"order: drop {dropped}, DELETE 503 {refused}, DELETE 204 {deleted}"
        );
        Assert.Equal(log[refused].Target, log[deleted].Target);
        // The registry no longer knows the abandoned session (docker-registry may leave an empty folder behind: asked,
        // not listed).
        using var http = new HttpClient();
        using var status = await http.GetAsync($"http://{registry.Host}{log[deleted].Target}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, status.StatusCode);
    }
}
