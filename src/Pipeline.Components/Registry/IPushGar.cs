using Pipeline.Components.Containers;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Results;
using Pipeline.Engine.Targets;

namespace Pipeline.Components.Registry;

/// <summary>
/// PushGar: merged code (staging-&lt;sha&gt;) and releases (vYY.MM.DD.i) to
/// <c>&lt;region&gt;-docker.pkg.dev/&lt;project&gt;/&lt;repository&gt;/&lt;name&gt;</c>, authenticated with GCP_SA_KEY,
/// falling over down <c>REGISTRIES_STAGING</c> or <c>REGISTRIES_RELEASE</c>. The purpose is <see
/// cref="GarPushPurpose"/>: said on the command line, or by default a release exactly when this run also tags one
/// (TagCalVer is in the plan).
/// </summary>
public interface IPushGar : IRegistryConfig
{
    [Parameter(
        "What PushGar pushes: staging (merged code: the tag policy's tags) or release (only "
            + "TagCalVer's tag); default: release when TagCalVer runs in this build, else staging"
    )]
    PushPurpose? GarPushPurpose => this.Get(() => GarPushPurpose);

    /// <summary>Where PushGar put the image in this run, with its purpose; null before it ran.</summary>
    PushedImage? GarPush => this.Result(() => GarPush);

    /// <summary>Each service's push in a many-service repository (docs/services.md); null in a one-image repository.
    /// <see cref="GarPush"/> is then IMAGE_NAME's.</summary>
    IReadOnlyList<ServicePush>? GarServicePushes => this.Result(() => GarServicePushes);

    Target PushGar =>
        _ =>
            _.Description(
                    "Pushes the image archive to Artifact Registry (staging or "
                        + "release), with failover to the local registry and an archive"
                )
                .TryDependsOn<IBuildImage>(x => x.BuildImage)
                .Produces("artifacts/images/*.push.json")
                .HasSideEffects("pushes and tags the image in a registry")
                .Preflight(c =>
                    RegistryPreflight.Inputs(this, c, PushGarTarget.PlannedPurpose(this, c), nameof(GarHost))
                )
                .PreflightBeforeSideEffects(c =>
                    RegistryPreflight.BeforePushAsync(this, c, PushGarTarget.PlannedPurpose(this, c))
                )
                .Produces(() => GarPush)
                .Produces(() => GarServicePushes)
                // keyless: the job's OIDC token becomes the GAR token (and, with SIGN_KEYLESS, the Fulcio certificate)
                .UsesIdTokenWhen(nameof(GarWorkloadIdentityProvider), "SignKeyless")
                .Executes(() => PushGarTarget.RunAsync(this));
}
