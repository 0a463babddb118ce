using Pipeline.Components.Quality;
using Pipeline.Components.Services;
using Pipeline.Components.Setup;
using Pipeline.Components.Shared;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Paths;
using Pipeline.Engine.Results;
using Pipeline.Engine.Targets;

namespace Pipeline.Components.Containers;

/// <summary>
/// BuildImage: builds the service image through the engine API (Podman's libpod endpoint when the engine is Podman,
/// so RUN steps work on restricted runners), tags it by the tag policy, labels it with OCI metadata, and writes
/// <c>artifacts/images/&lt;name&gt;.json</c> (id, digest, size, layers, tags) plus a docker-archive
/// <c>artifacts/images/&lt;name&gt;.tar</c>. Dependents read <see cref="BuiltImage"/>; <c>$GITHUB_OUTPUT</c> gets
/// <c>image-id</c>, <c>image-digest</c>, <c>image-size</c>, <c>image-layers</c>, <c>image-tags</c>, <c>image-ref</c>,
/// <c>image-archive</c>.
/// </summary>
public interface IBuildImage : IHazContainerEngine, IHazImage, IHazBranches, IServices
{
    [Parameter("Build context folder (a service builds from its own, SERVICE_<NAME>_CONTEXT)")]
    AbsolutePath ImageContext => this.Get(() => ImageContext) ?? RootDirectory;

    [Parameter(
        "Containerfile/Dockerfile (default: Containerfile, else "
            + "Dockerfile, in the context; a service: SERVICE_<NAME>_CONTAINERFILE)"
    )]
    AbsolutePath? Containerfile => this.Get(() => Containerfile);

    [Parameter(
        "Multi-stage target to build, e.g. dev or prod (default: the last "
            + "stage; a service: SERVICE_<NAME>_TARGET, which this overrides)"
    )]
    string? ImageTarget => this.Get(() => ImageTarget);

    [Parameter(
        "Build arguments as KEY=VALUE (comma separated; a service's SERVICE_<NAME>_BUILD_ARGS come after, and win)"
    )]
    string[] ImageBuildArgs => this.Get(() => ImageBuildArgs) ?? [];

    [Parameter(
        "Platforms to build for, os/arch[/variant], comma separated, e.g. "
            + "linux/amd64,linux/arm64 (default: the engine's own; a service: "
            + "SERVICE_<NAME>_PLATFORMS, which wins); more than one makes an OCI image index"
    )]
    string[]? ImagePlatforms => this.Get(() => ImagePlatforms);

    [
        Parameter(
            "Value of the org.opencontainers.image.version label (default: the release version, else the first tag)"
        ),
        PublicName
    ]
    string? ImageVersion => this.Get(() => ImageVersion);

    [Parameter("Build without the layer cache")]
    bool ImageNoCache => this.Get(() => ImageNoCache);

    [Parameter("Podman RUN isolation: chroot (works on cgroup-restricted runners) or oci")]
    string ImageIsolation => this.Get(() => ImageIsolation, "chroot");

    [Parameter("Write the docker-archive artifacts/images/<name>.tar for the push targets")]
    bool ImageExport => this.Get(() => ImageExport, true);

    // No time before 1970, none after DateTimeOffset.MaxValue (9999-12-31T23:59:59Z).
    [Parameter(
        "Reproducible-build time (Unix seconds) for the image and its created label",
        Min = 0,
        Max = 253_402_300_799
    )]
    long? SourceDateEpoch => this.Get(() => SourceDateEpoch);

    [Parameter("Branch whose builds get staging-<sha7> (default: the main branch)")]
    string? StagingBranch => this.Get(() => StagingBranch);

    /// <summary>Where the image result and archive go.</summary>
    AbsolutePath ImagesDirectory => ArtifactsDirectory / "images";

    /// <summary>The image BuildImage built in this run (or restored from <c>artifacts/results/</c>); null before it
    /// ran.</summary>
    BuiltImage? BuiltImage => this.Result(() => BuiltImage);

    /// <summary>
    /// Each service's image BuildImage built in this run, in service order (many-service repositories,
    /// docs/services.md); null in a one-image repository. <see cref="BuiltImage"/> then holds the service whose image
    /// is <c>IMAGE_NAME</c>, when built.
    /// </summary>
    IReadOnlyList<ServiceImage>? ServiceImages => this.Result(() => ServiceImages);

    /// <summary>
    /// Hook for the release flow: the CalVer tag a release image is built for, which becomes its version label and its
    /// release tag. BuildImage runs before TagCalVer (a tag only for code whose image built), so TagCalVer's
    /// tag (<see cref="IHazReleaseTag.ReleaseTagFor"/>) is only here when it ran earlier (another job, or restored with
    /// <c>--skip</c>). A release flow that settles the tag before the image builds overrides this member (or passes
    /// <c>--image-version</c>).
    /// </summary>
    string? ReleaseVersion => (this as IHazReleaseTag)?.ReleaseTagFor(null);

    Target BuildImage =>
        _ =>
            _.Description(
                    "Builds the service image through the container engine API (tags "
                        + "from the tag policy; result and archive in artifacts/images)"
                )
                .TryDependsOn<ISystemTools>(x => x.SystemTools)
                .DependsOn<IServices>(x => x.AffectedServices) // skipped in a one-image repository
                .TryAfter<ILint>(x => x.Lint)
                // quality gates first: no image is built from code that fails them
                .TryAfter<ICoverage>(x => x.Coverage)
                .Produces("artifacts/images/*.json", "artifacts/images/*.tar")
                .Uses(SharedResources.ContainerEngine)
                // linux/arm65 is exit 2, before any image is built
                .Preflight(c => ImageBuildSettings.CheckPlatforms(this, c))
                .Produces(() => BuiltImage)
                .Produces(() => ServiceImages)
                .Executes(() => BuildImageTarget.RunAsync(this));
}
