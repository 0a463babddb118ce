using YamlDotNet.Serialization;

namespace Pipeline.Engine.Workflows.Model;

internal sealed class WorkflowJob
{
    [YamlMember(Alias = "name", Order = 0)]
    public string? Name { get; init; }

    [YamlMember(Alias = "needs", Order = 1)]
    public List<string>? Needs { get; init; }

    [YamlMember(Alias = "if", Order = 2)]
    public string? If { get; init; }

    /// <summary>Runner labels, always a list: a job runs on a runner that has every one of them.</summary>
    [YamlMember(Alias = "runs-on", Order = 3)]
    public required List<string> RunsOn { get; init; }

    [YamlMember(Alias = "permissions", Order = 4)]
    public SortedDictionary<string, string>? Permissions { get; init; }

    [YamlMember(Alias = "environment", Order = 5)]
    public string? Environment { get; init; }

    [YamlMember(Alias = "timeout-minutes", Order = 6)]
    public int? TimeoutMinutes { get; init; }

    [YamlMember(Alias = "strategy", Order = 7)]
    public WorkflowStrategy? Strategy { get; init; }

    [YamlMember(Alias = "outputs", Order = 8)]
    public SortedDictionary<string, string>? Outputs { get; init; }

    [YamlMember(Alias = "steps", Order = 9)]
    public required List<WorkflowStep> Steps { get; init; }
}
