using Pipeline.Engine.Results;

namespace Pipeline.Engine.Targets;

/// <summary>A target of one build instance, with its relations resolved to other targets.</summary>
internal sealed class BuildTarget(
    string name,
    Type declaringType,
    TargetDefinition definition,
    int order,
    System.Reflection.MethodInfo? method = null
)
{
    /// <summary>The method behind the target's delegate: how a <see cref="Target"/> value is matched to this
    /// node.</summary>
    public System.Reflection.MethodInfo? Method { get; } = method;

    public string Name { get; } = name;
    public Type DeclaringType { get; } = declaringType;
    public TargetDefinition Definition { get; } = definition;

    /// <summary>Declaration order: the tie-breaker that keeps plans stable from run to run.</summary>
    public int Order { get; } = order;

    public List<BuildTarget> DependsOn { get; } = [];
    public List<BuildTarget> After { get; } = [];
    public List<BuildTarget> Before { get; } = [];
    public List<BuildTarget> Triggers { get; } = [];
    public List<BuildTarget> TriggeredBy { get; } = [];

    public string Description => Definition.Text;

    /// <summary>The typed results the target declares with <c>.Produces(() => Member)</c>: what a cache stores and
    /// restores.</summary>
    public IReadOnlyList<DeclaredResult> Results =>
        Definition.Results.Select(member => new DeclaredResult(Name, member)).ToList();

    public override string ToString() => Name;
}
