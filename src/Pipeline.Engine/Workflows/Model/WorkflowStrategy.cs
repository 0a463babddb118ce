using YamlDotNet.Serialization;

namespace Pipeline.Engine.Workflows.Model;

/// <summary>A job's <c>strategy:</c>: a matrix whose legs all run to the end (one failing service does not cancel the
/// others).</summary>
internal sealed class WorkflowStrategy
{
    [YamlMember(Alias = "fail-fast", Order = 0)]
    public bool FailFast { get; init; }

    [YamlMember(Alias = "max-parallel", Order = 1)]
    public int? MaxParallel { get; init; }

    /// <summary>Matrix key → an expression yielding its list, e.g. <c>${{ fromJSON(needs.plan.outputs.services)
    /// }}</c>.</summary>
    [YamlMember(Alias = "matrix", Order = 2)]
    public required SortedDictionary<string, string> Matrix { get; init; }
}
