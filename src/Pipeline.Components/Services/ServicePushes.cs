using System.Collections.Concurrent;
using Pipeline.Components.Containers;
using Pipeline.Components.Registry;
using Pipeline.Engine;

namespace Pipeline.Components.Services;

/// <summary>
/// PushGhcr and PushGar in a many-service repository: every image BuildImage built, in parallel, each through the
/// one-image push path inside its <see cref="ServiceScope"/> (its own repository, records and layout). One failing push
/// does not stop the others; the target fails after them, naming each failure.
/// </summary>
internal static class ServicePushes
{
    public static async Task<IReadOnlyList<ServicePush>> RunAsync(IRegistryConfig build, PushPurpose purpose, string target)
    {
        var images = (build as IBuildImage)?.ServiceImages
            ?? throw new BuildFailure($"{target}: no service images; run BuildImage in the same build (or keep artifacts/results from the job that did)");
        if (images.Count == 0)
        {
            Log.Info($"{target}: no service image to push");
            return [];
        }

        var definitions = ((IServices)build).ServiceDefinitions.ToDictionary(s => s.Name, StringComparer.Ordinal);
        // The local fallback starts once, here, not in each parallel push.
        await RegistryDestinations.ForPurposeAsync(build, purpose.Key());
        var pushed = new ConcurrentDictionary<string, ServicePush>(StringComparer.Ordinal);
        var failed = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        await Task.WhenAll(images.Select(async image =>
        {
            if (!definitions.TryGetValue(image.Service, out var service))
            {
                failed[image.Service] = $"not a service of {ServiceCatalog.ConfigPath} any more";
                return;
            }

            using var scope = ServiceScope.Enter(service, image.Image);
            try
            {
                pushed[image.Service] = new ServicePush(image.Service, image.Image.Name, await RegistryPushRunner.RunAsync(build, purpose, target));
            }
            catch (BuildFailure e)
            {
                failed[image.Service] = e.Message;
                Log.Error($"{target}: service {image.Service}: {e.Message}");
            }
        }));

        // The plain output names (staging-image-digest, …) keep meaning one image: IMAGE_NAME's, or the only one pushed
        // (a matrix leg running one service); every service also has its own (<service>-staging-image-digest).
        if (PrimaryService.Of(build, pushed.Values.ToList(), p => p.Service) is { } plain) RegistryPushRunner.SetOutputs("", plain.Push);
        if (!failed.IsEmpty)
            throw new BuildFailure($"{target}: {failed.Count} of {images.Count} service push(es) failed: {string.Join("; ", images.Where(i => failed.ContainsKey(i.Service)).Select(i => $"{i.Service}: {failed[i.Service]}"))}");
        return images.Select(i => pushed[i.Service]).ToList();
    }

    /// <summary>The push of the service whose image is IMAGE_NAME, for single-image consumers (Deploy, Release).</summary>
    public static PushedImage? Primary(IRegistryConfig build, IReadOnlyList<ServicePush> pushes)
        => pushes.FirstOrDefault(p => p.Image == build.ImageName)?.Push;
}
