using Pipeline.Components.Services;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Results;
using Pipeline.Engine.Targets;

namespace Pipeline.Components.Registry;

/// <summary>
/// Promote: copies an image by digest, never rebuilding: GHCR pr-N → GAR staging, GAR staging → release tag.
/// Within one registry blobs are mounted (no bytes move). Source and target are a full reference or
/// <c>&lt;destination&gt;:&lt;tag&gt;</c> using the configured names (ghcr, gar, local): <c>--promote-from ghcr:pr-12
/// --promote-to gar --promote-tags staging-abc1234</c>. In a many-service repository it promotes each service this run
/// works on (affected, or <c>--services</c> / <c>--all-services</c>), the destination names resolving to each service's
/// own repository (docs/services.md).
/// </summary>
public interface IPromote : IRegistryConfig
{
    [Parameter("Image to promote: ghcr:pr-12, gar:staging-abc1234, gar@sha256:..., or a full reference")]
    string? PromoteFrom => this.Get(() => PromoteFrom);

    [Parameter("Where to: a destination name (gar, ghcr, local) or a registry/repository"), PublicName]
    string? PromoteTo => this.Get(() => PromoteTo);

    [
        Parameter("Tags to put on the promoted image (default for a release: the tag TagCalVer made in this run)"),
        PublicName
    ]
    string[]? PromoteTags => this.Get(() => PromoteTags);

    [Parameter("What the promoted image is for: staging or release (default: release)")]
    PushPurpose PromotePurpose => this.Get(() => PromotePurpose, PushPurpose.Release);

    /// <summary>What Promote copied in this run; null before it ran. In a many-service repository: the
    /// <c>IMAGE_NAME</c> service's.</summary>
    PromotedImage? PromotedImage => this.Result(() => PromotedImage);

    /// <summary>Each service's promotion in a many-service repository; null in a one-image repository.</summary>
    IReadOnlyList<ServicePromotion>? ServicePromotions => this.Result(() => ServicePromotions);

    Target Promote =>
        _ =>
            _.Description(
                    "Copies an image by digest between registries/repositories (mounts within a registry), then tags it"
                )
                .Requires(() => PromoteFrom)
                .Requires(() => PromoteTo)
                .TryDependsOn<IServices>(x => x.AffectedServices) // many services: which of them to promote
                .Preflight(c => ServicePromotionRun.Check(this, c))
                .Produces(() => PromotedImage)
                .Produces(() => ServicePromotions)
                .Executes(() => PromoteTarget.RunAsync(this));
}
