using Pipeline.Components.Containers;
using Pipeline.Components.Registry;
using Pipeline.Components.Services;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Engine.Results;

namespace Pipeline.Components.Deploy;

/// <summary>
/// Deploy and Rollback in a many-service repository: each service through the one-service path, handed its
/// <see cref="ImageWork"/> — its own image repository, slot ports, HAProxy backend, container port, health path,
/// container names and ledger lines — side by side (each service has its own slots and backend). Deploy takes the
/// services PushGar pushed (or, with <c>--deploy-image</c>, the ones named); Rollback the ones named. One failing
/// service does not stop the others; the target fails naming it (a <see cref="PartialFailure"/>).
/// </summary>
internal static class ServiceDeploys
{
    /// <summary>Rollouts at a time: each starts a container and watches health (and a canary window); a bound keeps a
    /// big repository's host calm.</summary>
    private const int Concurrency = 4;

    public static async Task DeployAsync(IDeploy build)
    {
        var definitions = build.ServiceDefinitions;
        List<(ServiceDefinition Service, PushedImage? Push)> work;
        if (build.DeployImage is { Length: > 0 })
        {
            work = [.. Selected(build, "Deploy").Select(s => (s, (PushedImage?)null))];
        }
        else
        {
            var pushes =
                (build as IPushGar)?.GarServicePushes
                ?? throw new BuildFailure(
                    $"nothing to deploy to {build.DeployEnvironment}: run PushGar in the same "
                        + $"build, or pass --deploy-image <tag> with --services or --all-services"
                );
            work =
            [
                .. pushes.Select(p =>
                    (
                        definitions.FirstOrDefault(d => d.Name == p.Service)
                            ?? throw new BuildFailure(
                                $"service {p.Service} was pushed but is not a "
                                    + $"service of {ServiceCatalog.ConfigPath} any more"
                            ),
                        (PushedImage?)p.Push
                    )
                ),
            ];
        }

        Log.Info(
            work.Count == 0
                ? "Deploy: no service to deploy"
                : $"Deploy {build.DeployEnvironment}: {string.Join(", ", work.Select(w => w.Service.Name))}"
        );
        var built = (build as IBuildImage)?.ServiceImages ?? [];
        var run = await ServiceRun<DeployedRelease>.RunAsync(
            work,
            w => w.Service.Name,
            Concurrency,
            async w =>
            {
                var image = built.FirstOrDefault(i => i.Service == w.Service.Name)?.Image;
                return await DeployTarget.DeployOneAsync(build, ImageWork.For(w.Service), w.Push, image);
            }
        );

        build.SetResult(() => build.DeployedServices, run.Worked);
        if (PrimaryService.Of(build, run.Worked, r => r.Service!) is { } primary)
            build.SetResult(() => build.DeployedRelease, primary);
        run.ThrowIfAnyFailed("Deploy", "service deploy(s)");
    }

    public static async Task RollbackAsync(IRollback build)
    {
        var run = await ServiceRun<DeployedRelease>.RunAsync(
            Selected(build, "Rollback"),
            s => s.Name,
            Concurrency,
            async service =>
            {
                return await RollbackTarget.RollbackOneAsync(build, ImageWork.For(service));
            }
        );

        build.SetResult(() => build.RolledBackServices, run.Worked);
        if (PrimaryService.Of(build, run.Worked, r => r.Service!) is { } primary)
            build.SetResult(() => build.RolledBackRelease, primary);
        run.ThrowIfAnyFailed("Rollback", "service rollback(s)");
    }

    /// <summary>The services named by --services or --all-services (the preflight made sure one is given).</summary>
    internal static List<ServiceDefinition> Selected(IDeploy build, string target)
    {
        var named = DeployPreflight.Named(build).ToHashSet(StringComparer.Ordinal);
        return named.Count > 0
            ? [.. build.ServiceDefinitions.Where(d => named.Contains(d.Name))]
            : throw new BuildFailure($"{target} in a many-service repository needs --services a,b or --all-services");
    }
}
