namespace Pipeline.Containers.Tags;

/// <summary>
/// Branch roles from <c>deploy/config.env</c>: <c>latest</c> only for <see cref="MainBranch"/>;
/// <c>staging-&lt;sha7&gt;</c> for <see cref="StagingBranch"/> (the seeds deploy merged main to staging).
/// </summary>
public sealed record TagPolicyOptions(string MainBranch = "main", string? StagingBranch = "main");
