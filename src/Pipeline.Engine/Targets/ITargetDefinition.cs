using System.Linq.Expressions;
using Pipeline.Engine.Caching;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Preflight;
using Pipeline.Engine.Results;
using Pipeline.Engine.Workflows;

namespace Pipeline.Engine.Targets;

/// <summary>The fluent surface a target uses to describe itself. Every method returns the same definition.</summary>
public interface ITargetDefinition
{
    ITargetDefinition Description(string text);

    /// <summary>
    /// In a build class that re-declares a component's target, starts from the component's own definition, NUKE-style:
    /// <c>Target IPrune.Prune => _ => _.Inherit&lt;IPrune&gt;(x => x.Prune).After&lt;IRetention&gt;(x =>
    /// x.Retention);</c> Everything after it adds to (or, for the description, replaces) what the component declares.
    /// </summary>
    ITargetDefinition Inherit<T>(Expression<Func<T, Target>> target)
        where T : IPipelineBuild;

    /// <summary>Hidden from <c>--help</c> unless verbose (helpers such as cleanup targets).</summary>
    ITargetDefinition Unlisted();

    // Relations on targets of the same build class.
    ITargetDefinition DependsOn(params Target[] targets);
    ITargetDefinition After(params Target[] targets);
    ITargetDefinition Before(params Target[] targets);
    ITargetDefinition Triggers(params Target[] targets);
    ITargetDefinition TriggeredBy(params Target[] targets);

    // Typed relations on component targets; the Try* forms are ignored when the build does not implement T.
    ITargetDefinition DependsOn<T>(params Func<T, Target>[] targets)
        where T : IPipelineBuild;
    ITargetDefinition TryDependsOn<T>(params Func<T, Target>[] targets)
        where T : IPipelineBuild;
    ITargetDefinition After<T>(params Func<T, Target>[] targets)
        where T : IPipelineBuild;
    ITargetDefinition TryAfter<T>(params Func<T, Target>[] targets)
        where T : IPipelineBuild;
    ITargetDefinition Before<T>(params Func<T, Target>[] targets)
        where T : IPipelineBuild;
    ITargetDefinition TryBefore<T>(params Func<T, Target>[] targets)
        where T : IPipelineBuild;
    ITargetDefinition Triggers<T>(params Func<T, Target>[] targets)
        where T : IPipelineBuild;
    ITargetDefinition TryTriggers<T>(params Func<T, Target>[] targets)
        where T : IPipelineBuild;
    ITargetDefinition TriggeredBy<T>(params Func<T, Target>[] targets)
        where T : IPipelineBuild;
    ITargetDefinition TryTriggeredBy<T>(params Func<T, Target>[] targets)
        where T : IPipelineBuild;

    /// <summary>Evaluated once before anything runs: a false condition skips the target and its own dependencies
    /// (unless others need them).</summary>
    ITargetDefinition OnlyWhenStatic(Func<bool> condition, string? because = null);

    /// <summary>Evaluated right before the target would run: a false condition skips only this target.</summary>
    ITargetDefinition OnlyWhenDynamic(Func<bool> condition, string? because = null);

    /// <summary>Fails before any target runs when the parameter has no value, naming the parameter and where it may be
    /// set.</summary>
    ITargetDefinition Requires<T>(Expression<Func<T>> parameter);

    /// <summary>Fails before any target runs when the condition is false.</summary>
    ITargetDefinition Requires(Expression<Func<bool>> condition);

    /// <summary>
    /// A failure of this target does not halt the build: independent targets still run (the build still fails at the
    /// end). Its dependents run only when it failed for some of its items and saved the others' results
    /// (<see cref="PartialFailure"/>): they go on with those. <c>--proceed-after-failure</c> does this for every target
    /// of a run.
    /// </summary>
    ITargetDefinition ProceedAfterFailure();

    /// <summary>Runs even when an earlier target failed (cleanup); counts as scheduled whenever it is in the
    /// plan.</summary>
    ITargetDefinition AssuredAfterFailure();

    /// <summary>
    /// Resources this target holds while it runs (see <see cref="SharedResources"/>): targets naming the same one never
    /// run at the same time, whatever <c>--parallel</c> allows.
    /// </summary>
    ITargetDefinition Uses(params string[] resources);

    /// <summary>
    /// Declares what the target's result depends on, which makes it cacheable: with the same inputs (and the same
    /// results of the targets it depends on), its <see cref="Produces"/> files and stated result are restored instead
    /// of running it. See docs/cache.md.
    /// </summary>
    ITargetDefinition Inputs(Func<CacheInputs, CacheInputs> declare);

    /// <summary>The target caches its parts itself through <see cref="TargetCache"/> (Test: one entry per test project)
    /// instead of whole.</summary>
    ITargetDefinition CachedInParts();

    /// <summary>Files this target leaves behind (paths or globs relative to the root); Release attaches them as
    /// assets.</summary>
    ITargetDefinition Produces(params string[] paths);

    /// <summary>
    /// Declares that the target changes the world outside the checkout (pushes a tag or an image, publishes a release).
    /// Every <see cref="PreflightBeforeSideEffects"/> check of the plan runs, and must pass, before the first such
    /// target.
    /// </summary>
    ITargetDefinition HasSideEffects(string what);

    /// <summary>
    /// Input checks (well-formed URLs, tokens present, ranges, writable folders, tools): run for the whole plan after
    /// planning and before any target; all problems are reported together and the build exits with code 2.
    /// </summary>
    ITargetDefinition Preflight(Action<PreflightChecks> checks);

    /// <summary>
    /// Checks that need the network or earlier targets' products: run once, right before the first target with side
    /// effects, for every target still to run. A failure stops the build there (exit code 2) with nothing changed.
    /// </summary>
    ITargetDefinition PreflightBeforeSideEffects(Func<PreflightChecks, Task> checks);

    /// <summary>
    /// Lines <c>--plan</c> prints under this target: what it would work on and why (AffectedServices: which services,
    /// and the changed paths). Must be read-only and cheap; one that fails shows its reason in one line, and the plan
    /// goes on.
    /// </summary>
    ITargetDefinition ExplainsPlan(Func<Task<IReadOnlyList<string>>> explain);

    /// <summary>
    /// What this target does with the job's GitHub token (or the OIDC token, <see
    /// cref="GitHubActionsPermission.IdTokenWrite"/>). Generated workflows ask for exactly the union over the targets
    /// they can run; on a fork pull request, whose token is read-only, a target that needs a write scope is skipped
    /// with one line.
    /// </summary>
    ITargetDefinition UsesPermissions(params GitHubActionsPermission[] permissions);

    /// <summary>
    /// Keyless login: the target reads the job's OIDC token only when one of <paramref name="parameters"/> (member
    /// names) is handed to the job (imported as a secret or variable, or passed as its <c>--flag</c>). A generated job
    /// gets <c>id-token: write</c> only then; a job that logs in with a long-lived key gets no OIDC token at all.
    /// </summary>
    ITargetDefinition UsesIdTokenWhen(params string[] parameters);

    /// <summary>
    /// The target runs <c>git push</c> with the checkout's credentials (a tag, a branch). Generated jobs check out with
    /// <c>persist-credentials: false</c>, so the job token is not left in <c>.git/config</c> for the whole build,
    /// except the job running such a target.
    /// </summary>
    ITargetDefinition PushesWithGit();

    /// <summary>
    /// The target talks to its environment's own machine (a container host's socket, a load balancer's admin socket): a
    /// generated job running it, in a workflow or job with an <c>Environment</c> and no <c>RunsOn</c> of its own, runs
    /// on that environment's runner labels, <c>DEPLOY_&lt;ENV&gt;_RUNS_ON</c> in deploy/config.env (comma-separated).
    /// </summary>
    ITargetDefinition RunsOnEnvironmentRunner();

    /// <summary>
    /// A typed result this target sets (<c>.Produces(() => BuiltImage)</c> with <c>this.SetResult(() => BuiltImage,
    /// …)</c> in its body): dependents read the member, and the engine persists it to <c>artifacts/results/</c> when
    /// the target succeeds, so a cache or a later job can restore it (<see cref="ResultStore"/>).
    /// </summary>
    ITargetDefinition Produces<T>(Expression<Func<T?>> result)
        where T : class;

    ITargetDefinition Executes(Action action);
    ITargetDefinition Executes(Func<Task> action);
}
