using Pipeline.Registry;
using Pipeline.Registry.Images;

namespace Pipeline.SupplyChain.Verification;

/// <summary>
/// The check Deploy and Release run before shipping a digest (and the Verify target runs on its own): signature,
/// provenance and SBOM attached to <paramref name="digest"/> in <paramref name="source"/>, judged by the policy.
/// </summary>
public interface IImageVerifier
{
    Task<VerificationReport> VerifyAsync(
        IImageSource source,
        Digest digest,
        VerificationPolicy policy,
        CancellationToken ct = default
    );
}
