using System.Text.Json;
using Pipeline.Components.Services;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Engine.Results;

namespace Pipeline.Components.Containers;

/// <summary>
/// BuildImage in a many-service repository: each affected service through the one-image build path (handed its
/// <see cref="ImageWork"/>), at most <c>--service-build-concurrency</c> at a time since they share one container
/// engine. A service that fails does not stop the others' builds; their results are set, then the target fails naming
/// each failed service (a <see cref="PartialFailure"/>: with ProceedAfterFailure the pushes go on with the built ones).
/// </summary>
internal static class ServiceBuilds
{
    public static async Task RunAsync(IBuildImage build)
    {
        var plan =
            build.ServicePlan
            ?? throw new BuildFailure(
                "BuildImage: AffectedServices has not run in this build "
                    + "(it decides which services to build); do not skip it"
            );
        var services = build.ServiceDefinitions.Where(s => plan.Includes(s.Name)).ToList();
        Log.Info(
            services.Count == 0
                ? "BuildImage: no service is affected; nothing to build"
                : $"BuildImage: {string.Join(", ", services.Select(s => s.Name))}"
        );

        var run = await ServiceRun<ServiceImage>.RunAsync(
            services,
            s => s.Name,
            build.ServiceBuildConcurrency,
            async service =>
            {
                return new ServiceImage(
                    service.Name,
                    await BuildImageTarget.BuildOneAsync(build, ImageWork.For(service))
                );
            }
        );

        var images = run.Worked;
        build.SetResult(() => build.ServiceImages, images);
        // Single-image consumers (Deploy) read BuiltImage: the service whose image is IMAGE_NAME.
        if (images.FirstOrDefault(i => i.Image.Name == build.ImageName) is { } primary)
            build.SetResult(() => build.BuiltImage, primary.Image);
        StepOutputs.Set("built-services", JsonSerializer.Serialize(images.Select(i => i.Service)));
        run.ThrowIfAnyFailed("BuildImage", "service image(s)");
    }
}
