using Microsoft.Extensions.Logging;
using Octokit;

namespace Pipeline.Retention;

/// <summary>
/// Retention on GHCR through the GitHub packages REST API (list versions, delete version ids): GHCR answers a manifest
/// DELETE on its registry endpoint with 405. Manifests are still read from the registry endpoint to walk multi-arch
/// indexes, whose platform and attestation manifests are untagged versions of the same package.
/// </summary>
public sealed class GhcrPackageTarget(
    IGitHubClient github,
    GhcrPackage package,
    IManifestStore manifests,
    ILogger logger
) : IRetentionTarget
{
    // Octokit puts the package name into the path as is; GitHub wants a nested name ("tools/app") as one segment,
    // "tools%2Fapp".
    private readonly string _packageSegment = Uri.EscapeDataString(package.Name);

    public string Name => $"{package.Location} (GitHub packages API)";

    public async Task<IReadOnlyList<ArtifactVersion>> ListAsync(CancellationToken cancellationToken = default)
    {
        var options = new ApiOptions { PageSize = 100 };
        IReadOnlyList<PackageVersion> listed;
        try
        {
            listed = package.OwnerIsOrganization
                ? await github
                    .Packages.PackageVersions.GetAllForOrg(
                        package.Owner,
                        PackageType.Container,
                        _packageSegment,
                        PackageVersionState.Active,
                        options
                    )
                    .ConfigureAwait(false)
                : await github
                    .Packages.PackageVersions.GetAllForUser(
                        package.Owner,
                        PackageType.Container,
                        _packageSegment,
                        PackageVersionState.Active,
                        options
                    )
                    .ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            throw new RetentionException(
                $"GitHub packages API: listing versions of {package.Location} answered {(int)e.StatusCode} {e.Message}",
                e
            );
        }

        var versions = listed
            .Select(v => new ArtifactVersion(
                v.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                v.Name,
                v.Metadata?.Container?.Tags?.ToList() ?? [],
                v.CreatedAt
            ))
            .ToList();
        return await ManifestGraph.LinkAsync(versions, manifests, logger, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(ArtifactVersion version, CancellationToken cancellationToken = default)
    {
        var id = int.Parse(version.Id, System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            if (package.OwnerIsOrganization)
                await github
                    .Packages.PackageVersions.DeleteForOrg(package.Owner, PackageType.Container, _packageSegment, id)
                    .ConfigureAwait(false);
            else
                await github
                    .Packages.PackageVersions.DeleteForUser(package.Owner, PackageType.Container, _packageSegment, id)
                    .ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            throw new RetentionException(
                $"GitHub packages API: deleting version {id} of "
                    + $"{package.Location} answered {(int)e.StatusCode} {e.Message}",
                e
            );
        }
    }
}
