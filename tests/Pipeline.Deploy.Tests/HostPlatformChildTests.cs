using Pipeline.Deploy.Rollout;
using Pipeline.Registry;
using Pipeline.Registry.Images;

namespace Pipeline.Deploy.Tests;

/// <summary>Which child of a multi-platform index a host runs, and that a host the index lacks gets none (Deploy
/// refuses it before anything changes).</summary>
public sealed class HostPlatformChildTests
{
    private static Descriptor Child(string arch, string? variant = null, int seed = 0) =>
        new()
        {
            MediaType = MediaTypes.OciManifest,
            Digest = Digest.Sha256([(byte)seed, .. System.Text.Encoding.UTF8.GetBytes(arch + variant)]),
            Size = 100,
            Platform = new Platform
            {
                Os = "linux",
                Architecture = arch,
                Variant = variant,
            },
        };

    private static readonly ImageIndex Index = new()
    {
        Manifests = [Child("amd64"), Child("arm64"), Child("arm", "v7")],
    };

    [Theory]
    [InlineData("linux/amd64", "linux/amd64")]
    [InlineData("linux/arm64", "linux/arm64")]
    [InlineData("linux/arm", "linux/arm/v7")]
    [InlineData("linux/arm/v7", "linux/arm/v7")]
    public void The_host_gets_the_child_of_its_own_platform(string host, string expected) =>
        Assert.Equal(expected, HostPlatformChild.Pick(Index, host)?.Platform?.ToString());

    [Theory]
    [InlineData("linux/s390x")]
    [InlineData("linux/arm/v6")]
    [InlineData("windows/amd64")]
    [InlineData("amd64")]
    public void A_host_platform_the_index_lacks_gets_no_child(string host)
    {
        Assert.Null(HostPlatformChild.Pick(Index, host));
        Assert.Equal("linux/amd64, linux/arm64, linux/arm/v7", HostPlatformChild.Listed(Index));
    }
}
