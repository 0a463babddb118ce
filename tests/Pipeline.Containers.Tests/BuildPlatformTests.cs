using Pipeline.Containers.Build;

namespace Pipeline.Containers.Tests;

/// <summary>IMAGE_PLATFORMS / SERVICE_&lt;NAME&gt;_PLATFORMS parsing: strict, each problem one line naming the
/// source.</summary>
public sealed class BuildPlatformTests
{
    [Theory]
    [InlineData("linux/amd64", "linux/amd64", "amd64")]
    [InlineData("linux/arm64", "linux/arm64", "arm64")]
    [InlineData("linux/arm64/v8", "linux/arm64", "arm64")]
    [InlineData("linux/aarch64", "linux/arm64", "arm64")]
    [InlineData("Linux/x86_64", "linux/amd64", "amd64")]
    [InlineData("linux/arm/v7", "linux/arm/v7", "armv7")]
    public void A_platform_parses_to_its_normal_form(string text, string expected, string suffix)
    {
        var platform = BuildPlatform.TryParse(text, out var problem);
        Assert.Null(problem);
        Assert.Equal(expected, platform!.ToString());
        Assert.Equal(suffix, platform.TagSuffix);
        Assert.Equal(platform.Architecture, platform.BuildArgs()["TARGETARCH"]);
        Assert.Equal(expected, platform.BuildArgs()["TARGETPLATFORM"]);
    }

    [Theory]
    [InlineData("linux/arm65", "'linux/arm65': unknown architecture 'arm65'")]
    [InlineData("arm64", "'arm64' has no OS; write it as os/arch, e.g. linux/arm64")]
    [InlineData("plan9/amd64", "'plan9/amd64': unknown OS 'plan9'")]
    [InlineData("linux/amd64/v9", "'linux/amd64/v9': unknown variant 'v9' of amd64")]
    [InlineData("linux//", "'linux//' is not a platform")]
    public void A_bad_platform_says_why(string text, string expected)
    {
        Assert.Null(BuildPlatform.TryParse(text, out var problem));
        Assert.StartsWith(expected, problem);
    }

    [Fact]
    public void A_list_keeps_its_order_and_names_the_source_of_each_problem()
    {
        var problems = new List<string>();
        var platforms = BuildPlatform.ParseList(
            "linux/arm64, linux/amd64,linux/arm64,linux/arm65",
            "deploy/config.env:4: SERVICE_API_PLATFORMS (service api)",
            problems
        );

        Assert.Equal(["linux/arm64", "linux/amd64"], platforms.Select(p => p.ToString()));
        Assert.Equal(
            [
                "deploy/config.env:4: SERVICE_API_PLATFORMS (service api): 'linux/arm64' is listed twice",
                "deploy/config.env:4: SERVICE_API_PLATFORMS (service api): "
                    + "'linux/arm65': unknown architecture 'arm65' (known: amd64, "
                    + "arm64, arm, 386, ppc64le, s390x, riscv64, mips64le, loong64)",
            ],
            problems
        );
    }
}
