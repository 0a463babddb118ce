using Pipeline.Registry.Archives;
using Pipeline.Registry.Images;
using Pipeline.Testing;

namespace Pipeline.Registry.Tests.Support;

/// <summary>Two one-layer images as linux/amd64 and linux/arm64 under an OCI index tagged "multi", in one local
/// layout.</summary>
public sealed record TwoPlatformIndex(OciLayout Layout, RawManifest Index, Digest Amd, Digest Arm)
{
    public static async Task<TwoPlatformIndex> WriteAsync(TempFolder temp)
    {
        var amd = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["amd.tar"], 1, 20_000, seed: 1),
            temp["layout"]
        );
        var arm = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["arm.tar"], 1, 20_000, seed: 2),
            temp["layout"]
        );
        var index = RawManifest.From(
            new ImageIndex
            {
                MediaType = MediaTypes.OciIndex,
                Manifests =
                [
                    amd.Manifest.Descriptor with
                    {
                        Platform = new Platform { Os = "linux", Architecture = "amd64" },
                    },
                    arm.Manifest.Descriptor with
                    {
                        Platform = new Platform { Os = "linux", Architecture = "arm64" },
                    },
                ],
            }
        );
        await amd.Layout.PutManifestAsync(index, "multi", default);
        return new TwoPlatformIndex(amd.Layout, index, amd.Manifest.Digest, arm.Manifest.Digest);
    }
}
