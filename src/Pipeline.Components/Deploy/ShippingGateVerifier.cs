using Pipeline.Components.SupplyChain;
using Pipeline.Deploy;
using Pipeline.Deploy.Rollout;
using Pipeline.Engine;
using Pipeline.Engine.Execution;

namespace Pipeline.Components.Deploy;

/// <summary>
/// Deploy's supply-chain hook when the build uses <see cref="ISupplyChain"/>: the digest about to ship must carry a
/// valid signature and provenance (the same check Release and Verify make), or the deploy stops before anything
/// changes.
/// </summary>
internal sealed class ShippingGateVerifier(IPipelineBuild build, string target = "Deploy") : IReleaseVerifier
{
    public async Task VerifyAsync(DeployRelease release, CancellationToken ct)
    {
        try
        {
            await ShippingGate.EnsureVerifiedAsync(build, release.Image, target, ct);
        }
        catch (BuildFailure e)
        {
            throw new DeployException(e.Message);
        }
    }
}
