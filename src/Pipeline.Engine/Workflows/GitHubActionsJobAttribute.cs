namespace Pipeline.Engine.Workflows;

/// <summary>
/// Splits a <see cref="GitHubActionsAttribute"/> workflow into jobs, one attribute per job. <c>needs:</c> follows the
/// target graph: a job needs every job holding a target its own targets depend on (or run after). Each job runs
/// <c>./build.sh &lt;its targets&gt; --skip &lt;what upstream jobs did&gt;</c> after downloading their typed results
/// (<c>artifacts/results/</c>), so upstream work is not redone and dependents read its results as if it had run here.
/// <code>
/// [GitHubActions("services", OnPushBranches = ["main"], Caches = [GitHubActionsCache.NuGet])]
/// [GitHubActionsJob("services", "plan", InvokedTargets = ["Affected"], Outputs = ["Affected.Services"])]
/// [GitHubActionsJob("services", "image", InvokedTargets = ["BuildImage", "PushGar"],
///     MatrixFrom = "plan.services", MatrixParameter = "Services", MaxParallel = 4)]
/// </code>
/// Settings left unset here come from the workflow's attribute; <see cref="Arguments"/> and <see cref="Permissions"/>
/// add to it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class GitHubActionsJobAttribute(string workflow, string job) : Attribute
{
    /// <summary>The <see cref="GitHubActionsAttribute.Name"/> of the workflow this job belongs to.</summary>
    public string Workflow { get; } = workflow;

    /// <summary>The job id (<c>jobs.&lt;id&gt;</c>, <c>needs.&lt;id&gt;</c>): a letter or '_', then letters, digits,
    /// '-' and '_'.</summary>
    public string Job { get; } = job;

    /// <summary>The targets this job runs; a target belongs to at most one job of a workflow.</summary>
    public string[] InvokedTargets { get; set; } = [];

    /// <summary>
    /// Job outputs later jobs read as <c>needs.&lt;job&gt;.outputs.&lt;name&gt;</c>. <c>"Target.Member"</c> is a typed
    /// result of one of this job's targets, as compact JSON, named after the member in kebab case
    /// (<c>Affected.Services</c> → <c>services</c>); a plain name (<c>image-digest</c>) is a step output a target
    /// writes with <c>StepOutputs.Set</c>.
    /// </summary>
    public string[] Outputs { get; set; } = [];

    /// <summary>
    /// <c>"&lt;job&gt;.&lt;output&gt;"</c>: run this job once per element of that job output's JSON array
    /// (<c>strategy.matrix</c> over <c>fromJSON(needs.&lt;job&gt;.outputs.&lt;output&gt;)</c>); an empty array skips
    /// the job. Needs <see cref="MatrixParameter"/>.
    /// </summary>
    public string? MatrixFrom { get; set; }

    /// <summary>The build parameter (member name) that receives each matrix element, passed as its environment
    /// variable.</summary>
    public string? MatrixParameter { get; set; }

    /// <summary>At most this many matrix jobs at once; 0 leaves GitHub's default (as many as runners allow).</summary>
    public int MaxParallel { get; set; }

    /// <summary>Runner labels; unset: the workflow's.</summary>
    public string[]? RunsOn { get; set; }

    /// <summary>Caches this job restores; unset: the workflow's (set <c>[]</c> for none).</summary>
    public GitHubActionsCache[]? Caches { get; set; }

    /// <summary>Secrets this job's build step receives; unset: the workflow's (set <c>[]</c> for none).</summary>
    public string[]? ImportSecrets { get; set; }

    /// <summary>Variables this job's build step receives (<see cref="GitHubActionsAttribute.ImportVariables"/>); unset:
    /// the workflow's.</summary>
    public string[]? ImportVariables { get; set; }

    /// <summary>Arguments after the workflow's <see cref="GitHubActionsAttribute.Arguments"/>.</summary>
    public string[] Arguments { get; set; } = [];

    /// <summary>Scopes beyond what this job's targets declare (and the workflow's <see
    /// cref="GitHubActionsAttribute.Permissions"/>).</summary>
    public GitHubActionsPermission[] Permissions { get; set; } = [];

    /// <summary>Job timeout; 0: the workflow's.</summary>
    public int TimeoutMinutes { get; set; }

    /// <summary>Deployment environment; unset: the workflow's.</summary>
    public string? Environment { get; set; }
}
