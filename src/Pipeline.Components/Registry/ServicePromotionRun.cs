using Pipeline.Components.Services;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Engine.Preflight;
using Pipeline.Engine.Results;
using Pipeline.Registry.Remote;

namespace Pipeline.Components.Registry;

/// <summary>
/// Promote in a many-service repository: each service this run works on (AffectedServices), in parallel, through the
/// one-image promotion, handed its <see cref="ImageWork"/>, so <c>gar:staging-abc1234</c> names that service's image
/// and a release promotion carries that service's tag. One failing promotion does not stop the others; the target fails
/// after them, naming each (a <see cref="PartialFailure"/>: the promotions that worked are in the results).
/// </summary>
internal static class ServicePromotionRun
{
    public static async Task RunAsync(IPromote build)
    {
        var services = (IServices)build;
        var plan =
            services.ServicePlan
            ?? throw new BuildFailure(
                "Promote: AffectedServices has not run in this build "
                    + "(it decides which services to promote); do not skip it"
            );
        var chosen = services.ServiceDefinitions.Where(s => plan.Includes(s.Name)).ToList();
        Log.Info(
            chosen.Count == 0
                ? "Promote: no service is affected; nothing to promote"
                : $"Promote: {string.Join(", ", chosen.Select(s => s.Name))}"
        );

        var run = await ServiceRun<ServicePromotion>.RunAsync(
            chosen,
            s => s.Name,
            Math.Max(1, chosen.Count),
            async service =>
            {
                return new ServicePromotion(
                    service.Name,
                    service.Image,
                    await PromoteTarget.PromoteOneAsync(build, ImageWork.For(service))
                );
            }
        );

        var promotions = run.Worked;
        build.SetResult(() => build.ServicePromotions, promotions);
        foreach (var promotion in promotions)
            PromoteTarget.SetOutputs(promotion.Service + "-", promotion.Promotion);
        if (PrimaryService.Of(build, promotions, p => p.Service) is { } primary)
        {
            build.SetResult(() => build.PromotedImage, primary.Promotion);
            PromoteTarget.SetOutputs("", primary.Promotion);
        }

        run.ThrowIfAnyFailed("Promote", "service promotion(s)");
    }

    /// <summary>
    /// Before anything is copied: a full reference names one image, so in a many-service repository --promote-from and
    /// --promote-to must be destination names (gar:staging-abc1234, gar), which resolve to each service's repository.
    /// </summary>
    public static void Check(IPromote build, PreflightChecks checks)
    {
        // The copy's one-time costs (OpenSSL, Polly's option validation) start now, beside the rest of the start.
        RegistryWarmUp.Start();
        if (build is not IServices { HasServices: true })
            return;
        foreach (
            var (member, value) in new[]
            {
                (nameof(IPromote.PromoteFrom), build.PromoteFrom),
                (nameof(IPromote.PromoteTo), build.PromoteTo),
            }
        )
        {
            if (value is not null && value.Contains('/'))
                checks.Fail(
                    $"{checks.Describe(member)}: '{value}' is a full reference, which names "
                        + $"one image; in a many-service repository name a destination "
                        + $"(gar:staging-abc1234, ghcr:pr-12, gar) so each service's own image is promoted"
                );
        }
    }
}
