using Pipeline.Components.Containers;
using Pipeline.Components.Services;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;

namespace Pipeline.Components.Registry;

/// <summary>
/// PushGhcr and PushGar in a many-service repository: every image BuildImage built, in parallel, each through the
/// one-image push path, handed its <see cref="ImageWork"/> and built image (its own repository, records and layout).
/// One failing push does not stop the others; the target sets the results of those that worked, then fails naming each
/// failure (a <see cref="PartialFailure"/>: with ProceedAfterFailure, Deploy goes on with the pushed services).
/// </summary>
internal static class ServicePushRun
{
    public static async Task<ServiceRun<ServicePush>> RunAsync(
        IRegistryConfig build,
        PushPurpose purpose,
        string target
    )
    {
        var images =
            (build as IBuildImage)?.ServiceImages
            ?? throw new BuildFailure(
                $"{target}: no service images; run BuildImage in the same "
                    + $"build (or keep artifacts/results from the job that did)"
            );
        if (images.Count == 0)
            Log.Info($"{target}: no service image to push");
        var definitions = ((IServices)build).ServiceDefinitions.ToDictionary(s => s.Name, StringComparer.Ordinal);
        // The local fallback starts once, here, not in each parallel push.
        if (images.Count > 0)
            await RegistryDestinations.ForPurposeAsync(build, purpose.Key(), build.ImageName);
        return await ServiceRun<ServicePush>.RunAsync(
            images,
            i => i.Service,
            Math.Max(1, images.Count),
            async image =>
            {
                var service =
                    definitions.GetValueOrDefault(image.Service)
                    ?? throw new BuildFailure($"not a service of {ServiceCatalog.ConfigPath} any more");
                return new ServicePush(
                    image.Service,
                    image.Image.Name,
                    await RegistryPushRunner.RunAsync(build, purpose, target, ImageWork.For(service), image.Image)
                );
            }
        );
    }

    /// <summary>Sets the target's results from what was pushed (each service's, and IMAGE_NAME's for single-image
    /// consumers), then fails naming each failed push.</summary>
    public static void Finish(
        IRegistryConfig build,
        ServiceRun<ServicePush> run,
        string target,
        Action<IReadOnlyList<ServicePush>> setAll,
        Action<PushedImage> setPrimary
    )
    {
        var pushes = run.Worked;
        setAll(pushes);
        if (Primary(build, pushes) is { } primary)
            setPrimary(primary);
        else
            SayWhyThePrimaryIsAbsent(build, run, target);
        // The plain output names (staging-image-digest, …) keep meaning one image: IMAGE_NAME's, or the only one pushed
        // (a matrix leg running one service); every service also has its own (<service>-staging-image-digest).
        if (PrimaryService.Of(build, pushes, p => p.Service) is { } plain)
            RegistryPushRunner.SetOutputs("", plain.Push);
        run.ThrowIfAnyFailed(target, "service push(es)");
    }

    /// <summary>
    /// A job output such as <c>gar-push</c> (<c>PushGar.GarPush</c>) is IMAGE_NAME's push: when that service was not
    /// pushed in this run (it did not change), the output is absent, and the log and the step summary say why instead
    /// of leaving it silently empty. Each pushed service's own result is still there.
    /// </summary>
    private static void SayWhyThePrimaryIsAbsent(IRegistryConfig build, ServiceRun<ServicePush> run, string target)
    {
        var primary = ((IServices)build).ServiceDefinitions.FirstOrDefault(d => d.Image == build.ImageName);
        if (primary is null || run.Failed.Contains(primary.Name, StringComparer.Ordinal))
            return; // no such service, or its failure says it already
        var result = target == "PushGar" ? "GarPush" : "GhcrPush";
        var pushed = run.Worked.Count == 0 ? "no service" : string.Join(", ", run.Worked.Select(p => p.Service));
        var why =
            $"{target}.{result} is absent: IMAGE_NAME's service {primary.Name} was not "
            + $"pushed in this run (unchanged, its last pushed image stands; pushed: {pushed}); "
            + $"each pushed service's push is in {target}.{target[4..]}ServicePushes and its <service>-… step outputs";
        Log.Info(why);
        Summary.Append($"**{target}**: {why}");
    }

    /// <summary>The push of the service whose image is IMAGE_NAME, for single-image consumers (Deploy,
    /// Release).</summary>
    public static PushedImage? Primary(IRegistryConfig build, IReadOnlyList<ServicePush> pushes) =>
        PrimaryService.Of(build, pushes, p => p.Service, orTheOnlyOne: false)?.Push;
}
