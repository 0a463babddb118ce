using Pipeline.Registry.Archives;
using Pipeline.SupplyChain.Sbom;

namespace Pipeline.SupplyChain.Tests;

/// <summary>A layer is read once per digest: later SBOMs of images sharing it take its index from the per-user
/// folder.</summary>
public sealed class LayerIndexCacheTests
{
    [Fact]
    public async Task A_second_sbom_reads_only_the_layers_it_has_not_seen_and_is_byte_identical()
    {
        using var scratch = new TempFolder();
        var first = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(scratch["a.tar"], 3, 10_000, seed: 5),
            scratch["layout-a"]
        );
        var second = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(
                scratch["b.tar"],
                3,
                10_000,
                seed: 5,
                changedLayer: 2,
                changedSeed: 9
            ),
            scratch["layout-b"]
        );
        var cache = new LayerIndexCache(scratch["layers"]);

        var cold = await ImageContents.ReadAsync(first.Layout, first.Manifest, cache);
        var warm = await ImageContents.ReadAsync(first.Layout, first.Manifest, cache);
        var sharing = await ImageContents.ReadAsync(second.Layout, second.Manifest, cache);

        Assert.Equal(3, cold.LayersRead);
        Assert.Equal(0, warm.LayersRead);
        Assert.Equal(1, sharing.LayersRead); // only the changed top layer
        Assert.Equal(cold.Files, warm.Files);
        Assert.Equal(
            await ImageSbom.CreateAsync(
                second.Layout,
                second.Manifest,
                "registry.example/app",
                DateTimeOffset.UnixEpoch,
                []
            ),
            await ImageSbom.CreateAsync(
                second.Layout,
                second.Manifest,
                "registry.example/app",
                DateTimeOffset.UnixEpoch,
                [],
                cache
            )
        );
    }

    [Fact]
    public async Task A_damaged_entry_is_read_again_from_the_layer_not_trusted()
    {
        using var scratch = new TempFolder();
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(scratch["a.tar"], 1, 10_000),
            scratch["layout"]
        );
        var cache = new LayerIndexCache(scratch["layers"]);
        var expected = (await ImageContents.ReadAsync(image.Layout, image.Manifest, cache)).Files;
        foreach (var entry in Directory.GetFiles(scratch["layers"]))
            File.WriteAllText(entry, "{ not json");

        var again = await ImageContents.ReadAsync(image.Layout, image.Manifest, cache);

        Assert.Equal(1, again.LayersRead);
        Assert.Equal(expected, again.Files);
    }
}
