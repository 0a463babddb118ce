using Pipeline.Engine.Execution;
using Pipeline.Engine.Results;
using Pipeline.Engine.Workflows;

namespace Pipeline.Engine.Targets;

/// <summary>
/// A read-only look at one target's definition without planning a build: what it declares it produces, and its
/// actions, for components that gather other targets' products (Release's assets) and for tests that run one target.
/// </summary>
public sealed class TargetShape
{
    private readonly TargetDefinition _definition;

    private TargetShape(TargetDefinition definition) => _definition = definition;

    public string Description => _definition.Text;

    public IReadOnlyList<string> Produces => _definition.Products;

    /// <summary>What the target declared with <see cref="ITargetDefinition.UsesPermissions"/>.</summary>
    public IReadOnlyList<GitHubActionsPermission> Permissions => _definition.Permissions;

    /// <summary>Why the runner would skip the target at this moment (its first false dynamic condition), or
    /// null.</summary>
    public string? SkipReason() => _definition.DynamicConditions.FirstOrDefault(c => !c.Condition()).Because;

    /// <summary>The typed results the target declares, under the given target name.</summary>
    public IReadOnlyList<DeclaredResult> Results(string targetName) =>
        _definition.Results.Select(m => new DeclaredResult(targetName, m)).ToList();

    /// <summary>The target's shape; pass the build when the target may <c>Inherit</c> a component's
    /// definition.</summary>
    public static TargetShape Of(Target target, IPipelineBuild? build = null)
    {
        var definition = new TargetDefinition(build);
        target(definition);
        return new TargetShape(definition);
    }

    /// <summary>Runs the target's actions in order, in the current <see cref="BuildContext"/>; relations and conditions
    /// are not applied.</summary>
    public async Task ExecuteAsync()
    {
        foreach (var action in _definition.Actions)
            await action();
    }
}
