using Pipeline.Registry.Archives;
using Pipeline.Registry.Copying;
using Pipeline.Registry.Failover;
using Pipeline.Registry.Images;
using Pipeline.Registry.Remote;

namespace Pipeline.Registry.Tests;

/// <summary>
/// A registry that takes image manifests but refuses OCI image indexes (a real docker-registry behind a proxy answering
/// an index PUT with 415 MANIFEST_INVALID, as registries without index support do): one line saying so, the platform
/// images stored untagged, no tag written, and no failover (it is not an outage). skopeo checks the registry.
/// </summary>
public sealed class IndexRefusedTests
{
    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task A_refused_index_is_one_line_leaves_no_tag_and_does_not_fail_over()
    {
        using var temp = new TempFolder();
        var registry = await SharedRegistry.OpenAsync();
        var fallback = await SharedRegistry.OpenOtherAsync();
        await using var proxy = await RegistryFaultProxy.StartAsync(registry.Host, FaultPlan.None);
        proxy.RefusedManifestType = MediaTypes.OciIndex;
        var (layout, index, amd, arm) = await TwoPlatformIndex.WriteAsync(temp);
        var destinations = new[]
        {
            RegistryDestination.ForRegistry(
                "gar",
                Reference.Parse($"{proxy.Host}/{registry.Repository("p/images/app")}")
            ),
            RegistryDestination.ForRegistry("local", Reference.Parse(fallback.Reference("p/images/app"))),
        };

        var error = await Assert.ThrowsAsync<IndexRefusedException>(() =>
            new FailoverPusher(new FallbackLedger(temp["ledger"]), TestOptions.Fast).PushAsync(
                "staging",
                layout,
                "multi",
                destinations,
                ["m1"]
            )
        );

        Assert.Equal(
            $"{proxy.Host}/{registry.Repository("p/images/app")} does not take image indexes ({MediaTypes.OciIndex}): "
                + $"it stored the platform images (linux/amd64, linux/arm64) by digest, untagged, "
                + "then answered the index with 415 Unsupported Media Type: MANIFEST_INVALID: manifest invalid; no "
                + "tag was written",
            error.Message
        );
        Assert.DoesNotContain('\n', error.Message);
        // The children are there by digest (a later push to a registry that takes indexes, or retention, finds them);
        // no tag, no index.
        Assert.True(await Skopeo.ExistsAsync(registry.Host, registry.Repository("p/images/app"), amd.ToString()));
        Assert.True(await Skopeo.ExistsAsync(registry.Host, registry.Repository("p/images/app"), arm.ToString()));
        Assert.False(
            await Skopeo.ExistsAsync(registry.Host, registry.Repository("p/images/app"), index.Digest.ToString())
        );
        Assert.False(await Skopeo.ExistsAsync(registry.Host, registry.Repository("p/images/app"), "m1"));
        // A refusal is an answer, not an outage: the fallback registry was never written to.
        Assert.False(await Skopeo.ExistsAsync(fallback.Host, fallback.Repository("p/images/app"), amd.ToString()));
        Assert.Contains(
            proxy.Log,
            e =>
                e.Method == "PUT"
                && e.Target.EndsWith($"/manifests/{index.Digest}", StringComparison.Ordinal)
                && e.Status == 415
        );
    }
}
