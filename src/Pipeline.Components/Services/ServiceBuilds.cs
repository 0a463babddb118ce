using System.Collections.Concurrent;
using System.Text.Json;
using Pipeline.Components.Containers;
using Pipeline.Engine;

namespace Pipeline.Components.Services;

/// <summary>
/// BuildImage in a many-service repository: each affected service through the one-image build path (inside its
/// <see cref="ServiceScope"/>), at most <c>--service-build-concurrency</c> at a time since they share one container
/// engine. A service that fails does not stop the others' builds; the target fails after them, naming each failure.
/// </summary>
internal static class ServiceBuilds
{
    public static async Task RunAsync(IBuildImage build)
    {
        var plan = build.ServicePlan ?? throw new BuildFailure("BuildImage: AffectedServices has not run in this build (it decides which services to build); do not skip it");
        var services = build.ServiceDefinitions.Where(s => plan.Includes(s.Name)).ToList();
        Log.Info(services.Count == 0 ? "BuildImage: no service is affected; nothing to build" : $"BuildImage: {string.Join(", ", services.Select(s => s.Name))}");

        var built = new ConcurrentDictionary<string, BuiltImage>(StringComparer.Ordinal);
        var failed = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(services, new ParallelOptions { MaxDegreeOfParallelism = build.ServiceBuildConcurrency }, async (service, _) =>
        {
            using var scope = ServiceScope.Enter(service);
            try
            {
                built[service.Name] = await BuildImageTarget.BuildOneAsync(build);
            }
            catch (BuildFailure e)
            {
                failed[service.Name] = e.Message;
                Log.Error($"BuildImage: service {service.Name}: {e.Message}", e.File, e.Line);
            }
        });

        var images = services.Where(s => built.ContainsKey(s.Name)).Select(s => new ServiceImage(s.Name, built[s.Name])).ToList();
        build.SetResult(() => build.ServiceImages, images);
        // Single-image consumers (Deploy) read BuiltImage: the service whose image is IMAGE_NAME.
        if (images.FirstOrDefault(i => i.Image.Name == build.ImageName) is { } primary) build.SetResult(() => build.BuiltImage, primary.Image);
        StepOutputs.Set("built-services", JsonSerializer.Serialize(images.Select(i => i.Service)));
        if (!failed.IsEmpty)
            throw new BuildFailure($"BuildImage: {failed.Count} of {services.Count} service image(s) failed: {string.Join("; ", services.Where(s => failed.ContainsKey(s.Name)).Select(s => $"{s.Name}: {failed[s.Name]}"))}");
    }
}
