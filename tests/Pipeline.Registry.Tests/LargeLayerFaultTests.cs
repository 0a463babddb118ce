using Pipeline.Registry.Archives;
using Pipeline.Registry.Copying;
using Pipeline.Registry.Remote;

namespace Pipeline.Registry.Tests;

/// <summary>
/// One layer far above the chunk threshold, pushed through <see cref="RegistryFaultProxy"/> at the same per-request
/// fault rates as <see cref="ResilienceTests"/>: every chunk and the final PUT meet 503s, 429s and dropped connections,
/// so only a client that resumes each request from the offset the registry confirms gets through. The seed is new on
/// every run (printed on failure) so repeated runs try different fault sequences.
/// PIPELINE_FAULT_LAYER_MB=80 with PIPELINE_FAULT_DEFAULT_CHUNKS=1 measures the production chunk sizes
/// (docs/registry.md).
/// </summary>
public sealed class LargeLayerFaultTests
{
    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task A_layer_of_many_chunks_through_a_faulty_proxy_lands_whole()
    {
        var megabytes = int.TryParse(Environment.GetEnvironmentVariable("PIPELINE_FAULT_LAYER_MB"), out var mb)
            ? mb
            : 24;
        var productionChunks = Environment.GetEnvironmentVariable("PIPELINE_FAULT_DEFAULT_CHUNKS") == "1";
        var seed = int.TryParse(Environment.GetEnvironmentVariable("PIPELINE_FAULT_SEED"), out var s)
            ? s
            : Environment.TickCount;
        using var temp = new TempFolder();
        var registry = await SharedRegistry.OpenAsync();
        await using var proxy = await RegistryFaultProxy.StartAsync(
            registry.Host,
            new FaultPlan(
                ServerErrorRate: 0.12,
                ThrottleRate: 0.05,
                DropBeforeRate: 0.06,
                DropAfterRate: 0.06,
                SlowRate: 0.1,
                RetryAfterSeconds: 1,
                SlowDelay: TimeSpan.FromMilliseconds(150)
            ),
            seed
        );
        // The random plan alone can, on an unlucky seed, inject fewer faults than the test needs to mean anything; five
        // aimed faults make the floor certain. They are counted over every blob request, not only PATCHes: once an
        // answer to a PATCH is lost, docker-registry forgets the session and the blob goes again as one PUT, so a
        // count of PATCHes alone could stop short of the later aims (CI once saw 3 faults).
        var blobRequests = 0;
        proxy.Rule = (_, target) =>
            !target.Contains("/blobs/", StringComparison.Ordinal)
                ? null
                : Interlocked.Increment(ref blobRequests) switch
                {
                    2 or 8 => ProxyFault.ServerError,
                    4 => ProxyFault.DropBefore,
                    6 or 10 => ProxyFault.DropAfter,
                    _ => null,
                };
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["a.tar"], 1, megabytes * 1_000_000),
            temp["layout"]
        );
        var layer = Assert.Single(image.Manifest.AsManifest().Layers);
        // The production retry allowance (REGISTRY_RETRIES' default), with short backoffs.
        var retries = int.TryParse(Environment.GetEnvironmentVariable("PIPELINE_FAULT_RETRIES"), out var r)
            ? r
            : new RegistryClientOptions().MaxRetries;
        var options = productionChunks
            ? TestOptions.Fast with
            {
                MaxRetries = retries,
            }
            : TestOptions.Fast with
            {
                MaxRetries = retries,
                ChunkedUploadThreshold = 4 << 20,
                ChunkSize = 1 << 20,
            };
        Assert.True(
            layer.Size > options.ChunkedUploadThreshold && layer.Size / options.ChunkSize >= 16,
            $"layer of {layer.Size} bytes is not well above the chunk threshold"
        );
        var log = new RecordingLogger();
        using var client = new RegistryClient(proxy.Host, options: options, logger: log);

        CopyResult result;
        try
        {
            result = await new ImageCopier().CopyAsync(
                image.Layout,
                image.Manifest.Digest.ToString(),
                client.Repository(registry.Repository("big/app")),
                ["v1"]
            );
        }
        catch (Exception e)
        {
            var requests = string.Join(
                "\n",
                proxy
                    .Log.TakeLast(40)
                    .Select(r => $"  {r.Method} {r.Target[..Math.Min(r.Target.Length, 90)]} {r.Status} {r.Fault}")
            );
            throw new Xunit.Sdk.XunitException(
                $"seed {seed}: {e.Message} ({client.Statistics})\nlast "
                    + $"requests:\n{requests}\nclient log:\n{string.Join("\n", log.Lines.TakeLast(40))}"
            );
        }

        Assert.True(proxy.FaultsInjected >= 5, $"the proxy injected only {proxy.FaultsInjected} faults");
        Assert.Equal(image.Manifest.Digest, result.Digest);
        Assert.Equal(
            image.Manifest.Digest.ToString(),
            await Skopeo.InspectDigestAsync($"docker://{registry.Reference("big/app")}:v1")
        );
        await Skopeo.CopyAsync($"docker://{registry.Reference("big/app")}:v1", $"oci:{temp["check"]}:v1");
    }
}
