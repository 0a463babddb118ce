using Pipeline.Registry;
using Pipeline.Registry.Images;
using Pipeline.Registry.Remote;

namespace Pipeline.Deploy.Rollout;

/// <summary>
/// Turns a tag or digest into the release to run, asking the registry: deploys are always by digest, and a digest the
/// registry does not hold stops the deploy before anything changes.
/// </summary>
public static class ReleaseResolver
{
    public static async Task<DeployRelease> ResolveAsync(
        RegistryRepository repository,
        string tagOrDigest,
        string commit,
        string tag,
        CancellationToken ct
    )
    {
        Descriptor? found;
        try
        {
            found = await repository.HeadManifestAsync(tagOrDigest, ct);
        }
        catch (RegistryException e)
        {
            throw new DeployException($"cannot resolve {tagOrDigest} in {repository.Location}: {e.Message}", e);
        }

        if (found is null)
            throw new DeployException($"{tagOrDigest} is not in {repository.Location}; nothing was changed");
        var digest = found.Digest.ToString();
        var releaseTag =
            tag.Length > 0 ? tag
            : Digest.TryParse(tagOrDigest, out _) ? ""
            : tagOrDigest;
        return new DeployRelease(repository.Reference(digest: found.Digest).ToString(), digest, commit, releaseTag);
    }
}
