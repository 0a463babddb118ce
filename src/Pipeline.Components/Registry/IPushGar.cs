using Pipeline.Components.Containers;
using Pipeline.Components.Release;
using Pipeline.Components.Services;
using Pipeline.Engine;

namespace Pipeline.Components.Registry;

/// <summary>
/// PushGar: merged code (staging-&lt;sha&gt;) and releases (vYY.MM.DD.i) to
/// <c>&lt;region&gt;-docker.pkg.dev/&lt;project&gt;/&lt;repository&gt;/&lt;name&gt;</c>, authenticated with GCP_SA_KEY,
/// falling over down <c>REGISTRIES_STAGING</c> or <c>REGISTRIES_RELEASE</c>. The purpose is <see cref="GarPushPurpose"/>:
/// said on the command line, or by default a release exactly when this run also tags one (TagCalVer is in the plan).
/// </summary>
public interface IPushGar : IRegistryConfig
{
    [Parameter("What PushGar pushes: staging (merged code: the tag policy's tags) or release (only TagCalVer's tag); default: release when TagCalVer runs in this build, else staging")]
    PushPurpose? GarPushPurpose => this.Get(() => GarPushPurpose);

    /// <summary>Where PushGar put the image in this run, with its purpose; null before it ran.</summary>
    PushedImage? GarPush => this.Result(() => GarPush);

    /// <summary>Each service's push in a many-service repository (docs/services.md); null in a one-image repository. <see cref="GarPush"/> is then IMAGE_NAME's.</summary>
    IReadOnlyList<ServicePush>? GarServicePushes => this.Result(() => GarServicePushes);

    Target PushGar => _ => _
        .Description("Pushes the image archive to Artifact Registry (staging or release), with failover to the local registry and an archive")
        .TryDependsOn<IBuildImage>(x => x.BuildImage)
        .TryAfter<ITagCalVer>(x => x.TagCalVer) // a release push carries the CalVer tag TagCalVer just made
        .Produces("artifacts/images/*.push.json")
        .HasSideEffects("pushes and tags the image in a registry")
        .Preflight(c => RegistryPreflight.Inputs(this, c, PlannedPurpose(c), nameof(GarHost)))
        .PreflightBeforeSideEffects(async c =>
        {
            await RegistryPreflight.ArchiveAsync(this, c);
            await RegistryPreflight.DestinationsAsync(this, c, PlannedPurpose(c));
        })
        .Produces(() => GarPush)
        .Produces(() => GarServicePushes)
        .UsesIdTokenWhen(nameof(GarWorkloadIdentityProvider), "SignKeyless") // keyless: the job's OIDC token becomes the GAR token (and, with SIGN_KEYLESS, the Fulcio certificate)
        .Executes(async () =>
        {
            var purpose = GarPushPurpose ?? (this.IsScheduled<ITagCalVer>(x => x.TagCalVer) ? PushPurpose.Release : PushPurpose.Staging);
            if (purpose is not (PushPurpose.Staging or PushPurpose.Release))
                throw new BuildFailure($"{RegistryDestinations.Describe(nameof(GarPushPurpose))}: PushGar pushes staging or release images, not {purpose.Key()}");
            Log.Info($"PushGar: {purpose.Key()} push ({(GarPushPurpose is null ? $"TagCalVer {(purpose == PushPurpose.Release ? "runs" : "does not run")} in this build; --gar-push-purpose to choose" : "--gar-push-purpose")})");
            if (this is IServices { HasServices: true })
            {
                var pushes = await ServicePushes.RunAsync(this, purpose, "PushGar");
                ServicePushes.Finish(this, pushes, "PushGar", all => this.SetResult(() => GarServicePushes, all), primary => this.SetResult(() => GarPush, primary));
                return;
            }

            this.SetResult(() => GarPush, await RegistryPushRunner.RunAsync(this, purpose, "PushGar"));
        });

    /// <summary>The purpose as preflight sees it (the plan is known, nothing has run): TagCalVer still to run means a release.</summary>
    private PushPurpose PlannedPurpose(PreflightChecks checks) => GarPushPurpose ?? (checks.WillRun("TagCalVer") ? PushPurpose.Release : PushPurpose.Staging);
}
