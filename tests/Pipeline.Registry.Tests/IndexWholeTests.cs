using Pipeline.Registry.Archives;
using Pipeline.Registry.Copying;
using Pipeline.Registry.Images;
using Pipeline.Registry.Remote;

namespace Pipeline.Registry.Tests;

/// <summary>
/// An index never lands in a registry without every image it lists (issue 27's fault proof): a child missing in the
/// source of a promotion, and a child the target keeps refusing, each fail the copy before the index or any tag is
/// written. Real docker-registries; the target's state is read with skopeo, past the proxy.
/// </summary>
public sealed class IndexWholeTests
{
    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task A_child_missing_upstream_stops_the_promotion_before_the_index_or_a_tag()
    {
        using var temp = new TempFolder();
        await using var staging = await RegistryServer.StartAsync();
        await using var release = await RegistryServer.StartAsync();
        var (layout, index, amd, arm) = await TwoPlatformIndex.WriteAsync(temp);
        using var stagingClient = new RegistryClient(staging.Host, options: TestOptions.Fast);
        using var releaseClient = new RegistryClient(release.Host, options: TestOptions.Fast);
        await new ImageCopier().CopyAsync(
            layout,
            index.Digest.ToString(),
            stagingClient.Repository("p/images/app"),
            ["staging-1"]
        );
        // e.g. an outside cleanup that ignored the index
        await stagingClient.Repository("p/images/app").DeleteManifestAsync(arm);

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            new ImageCopier().CopyAsync(
                stagingClient.Repository("p/images/app"),
                "staging-1",
                releaseClient.Repository("p/images/app"),
                ["v1"]
            )
        );

        Assert.Equal(
            $"{staging.Host}/p/images/app: index {index.Digest.Short} lists {arm} (linux/arm64), which is not there; "
                + $"the index was not copied to {release.Host}/p/images/app and no tag was written",
            error.Message
        );
        Assert.DoesNotContain('\n', error.Message);
        Assert.False(
            await Skopeo.ExistsAsync(release.Host, "p/images/app", index.Digest.ToString()),
            "no index without its arm64 image"
        );
        Assert.False(await Skopeo.ExistsAsync(release.Host, "p/images/app", "v1"));
        Assert.True(
            await Skopeo.ExistsAsync(release.Host, "p/images/app", amd.ToString()),
            "the child that was there went first, by digest"
        );
    }

    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task A_child_the_target_keeps_refusing_leaves_no_index_and_no_tag()
    {
        using var temp = new TempFolder();
        await using var registry = await RegistryServer.StartAsync();
        await using var proxy = await RegistryFaultProxy.StartAsync(registry.Host, FaultPlan.None);
        var (layout, index, _, arm) = await TwoPlatformIndex.WriteAsync(temp);
        proxy.Rule = (method, target) =>
            method == "PUT" && target.EndsWith($"/manifests/{arm}", StringComparison.Ordinal)
                ? ProxyFault.ServerError
                : null;
        using var client = new RegistryClient(proxy.Host, options: TestOptions.Fast);

        await Assert.ThrowsAsync<RegistryUnavailableException>(() =>
            new ImageCopier().CopyAsync(layout, index.Digest.ToString(), client.Repository("p/images/app"), ["m1"])
        );

        Assert.Contains(proxy.Log, e => e.Fault == ProxyFault.ServerError);
        Assert.DoesNotContain(
            proxy.Log,
            e => e.Method == "PUT" && e.Target.EndsWith($"/manifests/{index.Digest}", StringComparison.Ordinal)
        );
        Assert.False(await Skopeo.ExistsAsync(registry.Host, "p/images/app", index.Digest.ToString()));
        Assert.False(await Skopeo.ExistsAsync(registry.Host, "p/images/app", "m1"));
    }
}
