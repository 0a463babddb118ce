using Pipeline.Components.Setup;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Targets;

namespace Pipeline.Components.Containers;

/// <summary>
/// Prune (runner hygiene): lists local images and build cache older than <c>--prune-older-than</c> (24h by default),
/// keeping images used by containers, images with a protected label and images whose tag matches a protected pattern.
/// A dry run with sizes unless <c>--prune-apply</c>; with it, removes them and reports the space freed.
/// Step outputs: <c>prune-candidates</c>, <c>prune-removed</c>, <c>prune-freed-bytes</c>.
/// </summary>
public interface IPrune : IHazContainerEngine
{
    [Parameter("Age past which images and build cache go: 24h, 90m, 7d or d.hh:mm:ss")]
    string PruneOlderThan => this.Get(() => PruneOlderThan, "24h");

    [Parameter("Tag patterns never pruned (globs: *:latest, localhost/base:*)")]
    string[] PruneProtectedTags => this.Get(() => PruneProtectedTags) ?? [];

    [Parameter("Labels that protect an image: key or key=value")]
    string[] PruneProtectedLabels => this.Get(() => PruneProtectedLabels) ?? ["org.pipeline.keep"];

    [Parameter("Prune deletes for real; without it, it only lists what it would remove", Deprecated = ["Apply"])]
    bool PruneApply => this.Get(() => PruneApply);

    Target Prune =>
        _ =>
            _.Description(
                    "Removes local images and build cache older than --prune-older-than "
                        + "(dry run unless --prune-apply), keeping images in use and protected ones"
                )
                .TryDependsOn<ISystemTools>(x => x.SystemTools)
                // never removes what a build side by side is making
                .Uses(SharedResources.ContainerEngine)
                // "5x" is exit 2, before anything
                .Preflight(c => PruneTarget.ParseAge(PruneOlderThan, c.Describe(nameof(PruneOlderThan))))
                .Executes(() => PruneTarget.RunAsync(this));
}
