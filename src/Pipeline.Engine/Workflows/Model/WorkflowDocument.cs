using YamlDotNet.Serialization;

namespace Pipeline.Engine.Workflows.Model;

/// <summary>The typed shape of a workflow file (the subset the generator writes); YamlDotNet serialises it in member
/// order.</summary>
internal sealed class WorkflowDocument
{
    [YamlMember(Alias = "name", Order = 0)]
    public required string Name { get; init; }

    [YamlMember(Alias = "on", Order = 1)]
    public required WorkflowTriggers On { get; init; }

    [YamlMember(Alias = "permissions", Order = 2)]
    public required SortedDictionary<string, string> Permissions { get; init; }

    [YamlMember(Alias = "concurrency", Order = 3)]
    public WorkflowConcurrency? Concurrency { get; init; }

    [YamlMember(Alias = "jobs", Order = 4)]
    public required Dictionary<string, WorkflowJob> Jobs { get; init; }
}
