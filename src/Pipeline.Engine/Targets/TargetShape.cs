namespace Pipeline.Engine;

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

    /// <summary>The typed results the target declares, under the given target name.</summary>
    public IReadOnlyList<DeclaredResult> Results(string targetName) => _definition.Results.Select(m => new DeclaredResult(targetName, m)).ToList();

    public static TargetShape Of(Target target)
    {
        var definition = new TargetDefinition();
        target(definition);
        return new TargetShape(definition);
    }

    /// <summary>Runs the target's actions in order, in the current <see cref="BuildContext"/>; relations and conditions are not applied.</summary>
    public async Task ExecuteAsync()
    {
        foreach (var action in _definition.Actions) await action();
    }
}
