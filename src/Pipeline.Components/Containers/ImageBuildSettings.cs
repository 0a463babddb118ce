using Pipeline.Components.Services;
using Pipeline.Engine;

namespace Pipeline.Components.Containers;

/// <summary>
/// What one image is built from. The repository's image: the parameters as they read. A service's: its own
/// <c>SERVICE_&lt;NAME&gt;_*</c> context, Containerfile and stage, with <c>--image-target</c> choosing the stage of
/// services that have stages and <c>--image-build-args</c> coming before the service's own (which win).
/// </summary>
internal sealed record ImageBuildSettings(AbsolutePath Context, AbsolutePath? Containerfile, string? Target, IReadOnlyList<string> BuildArgs)
{
    public static ImageBuildSettings For(IBuildImage build, ImageWork work) => work.Service is not { } service
        ? new(build.ImageContext, build.Containerfile, build.ImageTarget, build.ImageBuildArgs)
        : new(service.Context, service.Containerfile, service.Target is null ? null : build.ImageTarget ?? service.Target, [.. build.ImageBuildArgs, .. service.BuildArgs]);
}
