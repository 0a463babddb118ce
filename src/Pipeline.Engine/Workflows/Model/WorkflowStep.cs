using YamlDotNet.Serialization;

namespace Pipeline.Engine.Workflows.Model;

internal sealed record WorkflowStep
{
    [YamlMember(Alias = "name", Order = 0)]
    public string? Name { get; init; }

    [YamlMember(Alias = "id", Order = 1)]
    public string? Id { get; init; }

    [YamlMember(Alias = "if", Order = 2)]
    public string? If { get; init; }

    [YamlMember(Alias = "uses", Order = 3)]
    public PinnedAction? Uses { get; init; }

    [YamlMember(Alias = "with", Order = 4)]
    public Dictionary<string, object>? With { get; init; }

    [YamlMember(Alias = "run", Order = 5)]
    public object? Run { get; init; }

    [YamlMember(Alias = "env", Order = 6)]
    public SortedDictionary<string, string>? Env { get; init; }
}
