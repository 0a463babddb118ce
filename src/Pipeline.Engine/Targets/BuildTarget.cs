namespace Pipeline.Engine;

/// <summary>A target of one build instance, with its relations resolved to other targets.</summary>
internal sealed class BuildTarget(string name, Type declaringType, TargetDefinition definition, int order)
{
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

    public override string ToString() => Name;
}
