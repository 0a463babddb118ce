using Pipeline.Engine.Targets;

namespace Pipeline.Components.Registry;

/// <summary>
/// Reconcile: after an outage, pushes what the fallbacks hold (local registry, archives) to the registry each image
/// was meant for, by digest, then its tags (never moving a tag that was pushed there since). Fails while anything
/// is still waiting, so a scheduled run stays red until the primary is back and delivery is complete.
/// </summary>
public interface IReconcile : IRegistryConfig
{
    Target Reconcile =>
        _ =>
            _.Description("Pushes images held by fallbacks (local registry, archives) to their primary registry")
                .Executes(() => ReconcileTarget.RunAsync(this));
}
