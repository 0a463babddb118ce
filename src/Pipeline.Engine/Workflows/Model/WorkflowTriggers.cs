using YamlDotNet.Serialization;

namespace Pipeline.Engine.Workflows.Model;

internal sealed class WorkflowTriggers
{
    [YamlMember(Alias = "pull_request", Order = 0)]
    public BranchFilter? PullRequest { get; init; }

    [YamlMember(Alias = "merge_group", Order = 1)]
    public MergeGroupTrigger? MergeGroup { get; init; }

    [YamlMember(Alias = "push", Order = 2)]
    public BranchFilter? Push { get; init; }

    [YamlMember(Alias = "schedule", Order = 3)]
    public List<CronTrigger>? Schedule { get; init; }

    [YamlMember(Alias = "workflow_dispatch", Order = 4)]
    public WorkflowDispatch? WorkflowDispatch { get; init; }
}

internal sealed class BranchFilter
{
    [YamlMember(Alias = "branches", Order = 0)]
    public List<string>? Branches { get; init; }

    [YamlMember(Alias = "tags", Order = 1)]
    public List<string>? Tags { get; init; }

    [YamlMember(Alias = "paths-ignore", Order = 2)]
    public List<string>? PathsIgnore { get; init; }
}

/// <summary><c>merge_group: {}</c>: every merge-queue check (GitHub sends only checks_requested).</summary>
internal sealed class MergeGroupTrigger;

internal sealed class CronTrigger
{
    [YamlMember(Alias = "cron")]
    public required string Cron { get; init; }
}

internal sealed class WorkflowDispatch
{
    [YamlMember(Alias = "inputs")]
    public SortedDictionary<string, DispatchInput>? Inputs { get; init; }
}

internal sealed class DispatchInput
{
    [YamlMember(Alias = "description", Order = 0)]
    public required string Description { get; init; }

    [YamlMember(Alias = "required", Order = 1)]
    public bool Required { get; init; }

    [YamlMember(Alias = "type", Order = 2)]
    public required string Type { get; init; }

    [YamlMember(Alias = "options", Order = 3)]
    public List<string>? Options { get; init; }
}
