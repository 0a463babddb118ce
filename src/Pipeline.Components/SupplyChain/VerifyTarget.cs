using Pipeline.Engine;

namespace Pipeline.Components.SupplyChain;

/// <summary>What the Verify target does: the shipping gate on the image named, or on what this run pushed or
/// promoted.</summary>
internal static class VerifyTarget
{
    public static async Task RunAsync(ISupplyChain build)
    {
        var reference =
            build.VerifyImage
            ?? ShippingGate.ImageOfThisRun(build)
            ?? throw new BuildFailure(
                "Verify: no image to check; pass --verify-image "
                    + "registry/repo@sha256:… or push/promote in the same build"
            );
        await ShippingGate.EnsureVerifiedAsync(build, reference, "Verify");
    }
}
