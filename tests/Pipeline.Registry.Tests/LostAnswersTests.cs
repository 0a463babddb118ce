using Pipeline.Registry.Archives;
using Pipeline.Registry.Copying;
using Pipeline.Registry.Remote;

namespace Pipeline.Registry.Tests;

/// <summary>
/// Three answers in ten lost (the registry did the work, the connection is reset instead of the answer) on a layer of
/// many chunks. docker-registry cancels a session whose answer was lost (its <c>_state</c> token no longer matches),
/// so chunks that must all be answered in a row would restart from byte 0 forever; the client asks the session where
/// it stands, and when the registry has forgotten it sends the blob again in one PUT, whose lost answer a HEAD
/// recovers. The seed is new on every run (printed on failure). bench/registry.sh measures the 80 MB case.
/// </summary>
public sealed class LostAnswersTests
{
    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task A_layer_of_many_chunks_lands_whole_when_three_answers_in_ten_are_lost()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("PIPELINE_FAULT_SEED"), out var s)
            ? s
            : Environment.TickCount;
        using var temp = new TempFolder();
        var registry = await SharedRegistry.OpenAsync();
        await using var proxy = await RegistryFaultProxy.StartAsync(
            registry.Host,
            new FaultPlan(DropAfterRate: 0.3),
            seed
        );
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["a.tar"], 1, 8_000_000),
            temp["layout"]
        );
        var log = new RecordingLogger();
        using var client = new RegistryClient(
            proxy.Host,
            options: TestOptions.Fast with
            {
                MaxRetries = 8,
                ChunkedUploadThreshold = 2_000_000,
                ChunkSize = 1 << 20,
            },
            logger: log
        );

        CopyResult result;
        try
        {
            result = await new ImageCopier().CopyAsync(
                image.Layout,
                image.Manifest.Digest.ToString(),
                client.Repository(registry.Repository("lost/app")),
                ["v1"]
            );
        }
        catch (RegistryException e)
        {
            throw new Xunit.Sdk.XunitException(
                $"seed {seed}: {e.Message} ({client.Statistics})\nclient "
                    + $"log:\n{string.Join("\n", log.Lines.TakeLast(30))}"
            );
        }

        Assert.True(proxy.Dropped >= 3, $"seed {seed}: the proxy lost only {proxy.Dropped} answers");
        Assert.Equal(image.Manifest.Digest, result.Digest);
        Assert.Equal(
            image.Manifest.Digest.ToString(),
            await Skopeo.InspectDigestAsync($"docker://{registry.Reference("lost/app")}:v1")
        );
    }
}
