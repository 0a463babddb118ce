using Pipeline.Deploy.Rollout;
using Pipeline.Engine.Output;
using Pipeline.Registry;
using Pipeline.Registry.Remote;

namespace Pipeline.Components.Deploy;

/// <summary>
/// The supply-chain check of a rollback to a kept container: the build's verifier when the registry answers for the
/// digest. During a registry outage (or once the image is gone from it) the kept release rolls back unverified, with
/// one warning: it passed the check when it was deployed here (the deployer verifies before it starts anything), and an
/// emergency rollback must not wait for the registry.
/// </summary>
internal sealed class KeptReleaseVerifier(
    IReleaseVerifier verifier,
    RegistryRepository repository,
    string where,
    string target
) : IReleaseVerifier
{
    private static readonly TimeSpan ProbeDeadline = TimeSpan.FromSeconds(5);

    public async Task VerifyAsync(DeployRelease release, CancellationToken ct)
    {
        string? unreachable;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(ProbeDeadline);
        try
        {
            unreachable = await repository.HeadManifestAsync(release.Digest, deadline.Token) is null
                ? $"{release.ShortDigest} is no longer in {repository.Location}"
                : null;
        }
        catch (RegistryException e)
        {
            unreachable = $"{repository.Location} does not answer ({e.Message.Split('\n')[0]})";
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            unreachable = $"{repository.Location} did not answer within {ProbeDeadline.TotalSeconds:0} s";
        }

        if (unreachable is null)
        {
            await verifier.VerifyAsync(release, ct);
            return;
        }

        Log.Warn(
            $"{target} {where}: the kept release {release.ShortDigest} is not "
                + $"verified again: {unreachable}; it was verified when it was deployed here"
        );
    }
}
