using Pipeline.Components.Registry;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Results;

namespace Pipeline.Components.SupplyChain;

/// <summary>
/// What the Verify target does: the shipping gate on the image named, or on what this run pushed (every service's image
/// that reached a registry) or promoted; each accepted image is kept as <see cref="ISupplyChain.VerifiedImages"/>.
/// </summary>
internal static class VerifyTarget
{
    public static async Task RunAsync(ISupplyChain build)
    {
        var images = build.VerifyImage is { } named
            ? new List<(string? Service, string Reference)> { (null, named) }
            : ServiceImagesOfThisRun(build);
        if (images.Count == 0 && ShippingGate.ImageOfThisRun(build) is { } single)
            images = [(null, single)];
        if (images.Count == 0)
            throw new BuildFailure(
                "Verify: no image to check; pass --verify-image "
                    + "registry/repo@sha256:… or push/promote in the same build"
            );
        var verified = new List<VerifiedImage>();
        foreach (var (service, reference) in images)
        {
            var report = await ShippingGate.EnsureVerifiedAsync(build, reference, "Verify");
            if (report is not null)
                verified.Add(new VerifiedImage(service, reference, report.Passed));
        }

        build.SetResult(() => build.VerifiedImages, verified);
    }

    /// <summary>Each service's push of this run that reached a registry (a fallback archive is checked after
    /// Reconcile), by digest.</summary>
    private static List<(string? Service, string Reference)> ServiceImagesOfThisRun(ISupplyChain build)
    {
        var pushes = ((build as IPushGar)?.GarServicePushes ?? []).Concat(
            (build as IPushGhcr)?.GhcrServicePushes ?? []
        );
        var images = new List<(string?, string)>();
        foreach (var push in pushes.Where(p => !p.Push.FellBack))
        {
            try
            {
                images.Add(
                    (
                        push.Service,
                        $"{Pipeline.Registry.Reference.Parse(push.Push.References[0]).Name}@{push.Push.Digest}"
                    )
                );
            }
            catch (Pipeline.Registry.InvalidReferenceException)
            {
                // not a registry reference: nothing to read back
            }
        }

        return images.Distinct().ToList();
    }
}
