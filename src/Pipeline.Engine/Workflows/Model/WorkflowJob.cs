using YamlDotNet.Serialization;

namespace Pipeline.Engine.Workflows.Model;

internal sealed class WorkflowJob
{
    [YamlMember(Alias = "name", Order = 0)]
    public string? Name { get; init; }

    /// <summary>Runner labels, always a list: a job runs on a runner that has every one of them.</summary>
    [YamlMember(Alias = "runs-on", Order = 1)]
    public required List<string> RunsOn { get; init; }

    [YamlMember(Alias = "environment", Order = 2)]
    public string? Environment { get; init; }

    [YamlMember(Alias = "timeout-minutes", Order = 3)]
    public int? TimeoutMinutes { get; init; }

    [YamlMember(Alias = "steps", Order = 4)]
    public required List<WorkflowStep> Steps { get; init; }
}
