using Pipeline.Components.Containers;
using Pipeline.Components.Release;
using Pipeline.Engine;

namespace Pipeline.Components.Registry;

/// <summary>
/// PushGar: merged code (staging-&lt;sha&gt;) and releases (vYY.MM.DD.i) to
/// <c>&lt;region&gt;-docker.pkg.dev/&lt;project&gt;/&lt;repository&gt;/&lt;name&gt;</c>, authenticated with GCP_SA_KEY,
/// falling over down <c>REGISTRIES_STAGING</c> (or <c>REGISTRIES_RELEASE</c> when TagCalVer ran in this build).
/// </summary>
public interface IPushGar : IRegistryConfig
{
    Target PushGar => _ => _
        .Description("Pushes the image archive to Artifact Registry (staging or release), with failover to the local registry and an archive")
        .TryDependsOn<IBuildImage>(x => x.BuildImage)
        .TryAfter<ITagCalVer>(x => x.TagCalVer) // a release push carries the CalVer tag TagCalVer just made
        .Produces("artifacts/images/*.push.json")
        .HasSideEffects("pushes and tags the image in a registry")
        .Preflight(c => RegistryPreflight.Inputs(this, c, nameof(GarHost)))
        .PreflightBeforeSideEffects(c => RegistryPreflight.ArchiveAsync(this, c))
        .Executes(async () => await RegistryPushRunner.RunAsync(this, Outputs.Get("release-tag") is null ? "staging" : "release", "PushGar"));
}
