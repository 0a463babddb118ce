using System.Text;
using Pipeline.Components.Registry;
using Pipeline.Components.Services;
using Pipeline.GitHub.Releases;

namespace Pipeline.Components.Release;

/// <summary>
/// The service images a release ships, from PushGar's typed per-service results (<see
/// cref="IPushGar.GarServicePushes"/>, release pushes only): each service's reference and digest, listed in the notes
/// (so on GitHub and in notes.md) and kept as data in the local release.json. A one-image repository has none: its push
/// record is the asset, as before.
/// </summary>
internal static class ReleaseImages
{
    /// <summary>The release pushes of this run, all services' or, for a service released on its own, just its
    /// own.</summary>
    public static IReadOnlyList<ServicePush> Of(IRelease build, string? service) =>
        (build as IPushGar)?.GarServicePushes is { } pushes
            ? pushes
                .Where(p => p.Push.Purpose == PushPurpose.Release && (service is null || p.Service == service))
                .ToList()
            : [];

    public static IReadOnlyList<ReleaseImage> AsData(IReadOnlyList<ServicePush> pushes) =>
        pushes.Select(p => new ReleaseImage(p.Service, p.Push.References[0], p.Push.Digest.ToString())).ToList();

    /// <summary>An "Images" section: one row per service (a fallback registry holding it is said).</summary>
    public static string Markdown(IReadOnlyList<ServicePush> pushes)
    {
        var text = new StringBuilder("### Images\n\n| service | image | digest |\n|---|---|---|\n");
        foreach (var push in pushes)
        {
            var held = push.Push.FellBack ? $" (held by the {push.Push.Destination} fallback until Reconcile)" : "";
            text.Append($"| `{push.Service}` | `{push.Push.References[0]}`{held} | `{push.Push.Digest}` |\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// A service's own release leaves out the other services' image files (records, archives, SBOMs under
    /// artifacts/images, named after their image); shared assets such as the coverage summary stay.
    /// </summary>
    public static IReadOnlyList<ReleaseAssetFile> OwnAssets(
        IRelease build,
        IReadOnlyList<ReleaseAssetFile> assets,
        string service
    )
    {
        var definitions = (build as IServices)?.ServiceDefinitions ?? [];
        var images = Path.GetFullPath(build.ArtifactsDirectory / "images") + Path.DirectorySeparatorChar;
        return assets
            .Where(asset =>
            {
                if (!asset.Path.StartsWith(images, StringComparison.Ordinal))
                    return true;
                var relative = asset.Path[images.Length..].Replace('\\', '/');
                // The longest image name the file starts with owns it ("svc" and "svc.api" both match
                // "svc.api.release.push.json").
                var owner = definitions
                    .Where(d =>
                        relative.StartsWith(d.Image + ".", StringComparison.Ordinal)
                        || relative.StartsWith(d.Image.Replace('/', '-') + ".", StringComparison.Ordinal)
                    )
                    .MaxBy(d => d.Image.Length);
                return owner is null || owner.Name == service;
            })
            .ToList();
    }
}
