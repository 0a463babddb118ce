using Pipeline.Components.Shared;

namespace Pipeline.Components.Services;

/// <summary>
/// The one image a build, push, promotion or deploy path works on, handed down explicitly: the repository's own image
/// (named by <c>IMAGE_NAME</c>, built from the parameters as <c>--help</c> shows them) or one service's (its
/// <c>SERVICE_&lt;NAME&gt;_*</c> settings). A per-service loop makes one per service; no parameter changes its answer
/// while it runs. Results (the built image, the push) travel beside it, typed, from the target that made them.
/// </summary>
internal sealed record ImageWork(string ImageName, ServiceDefinition? Service)
{
    /// <summary>The repository's one image.</summary>
    public static ImageWork Of(IHazImage build) => new(build.ImageName, null);

    /// <summary>One service of a many-service repository.</summary>
    public static ImageWork For(ServiceDefinition service) => new(service.Image, service);

    /// <summary>Prefix of this image's <c>$GITHUB_OUTPUT</c> names: <c>api-</c> for a service, none for the
    /// repository's image.</summary>
    public string OutputPrefix => Service is null ? "" : Service.Name + "-";

    /// <summary>The service's own CalVer tag prefix when it is released on its own (<c>api-</c>); null: the
    /// repository's one tag.</summary>
    public string? TagPrefix => Service?.TagPrefix;
}
