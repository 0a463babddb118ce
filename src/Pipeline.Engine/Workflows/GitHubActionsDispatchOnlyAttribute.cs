namespace Pipeline.Engine.Workflows;

/// <summary>
/// CI-cost mode for every <see cref="GitHubActionsAttribute"/> on the build: workflows are still generated, but only
/// <c>workflow_dispatch</c> starts them, for teams that run <c>./build.sh</c> on their own machines and dispatch CI by
/// hand.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class GitHubActionsDispatchOnlyAttribute : Attribute;
