using YamlDotNet.Serialization;

namespace Pipeline.Engine.Workflows.Model;

internal sealed class WorkflowConcurrency
{
    [YamlMember(Alias = "group", Order = 0)]
    public required string Group { get; init; }

    [YamlMember(Alias = "cancel-in-progress", Order = 1)]
    public bool CancelInProgress { get; init; }
}
