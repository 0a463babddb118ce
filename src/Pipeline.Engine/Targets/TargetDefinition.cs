using System.Linq.Expressions;
using Pipeline.Engine.Caching;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Preflight;
using Pipeline.Engine.Results;
using Pipeline.Engine.Workflows;

namespace Pipeline.Engine.Targets;

/// <summary>Records what a target's fluent definition says; the planner and runner read it.</summary>
internal sealed class TargetDefinition(object? build = null) : ITargetDefinition
{
    public string Text { get; private set; } = "";
    public bool IsUnlisted { get; private set; }
    public List<TargetLink> Dependencies { get; } = [];
    public List<TargetLink> Afters { get; } = [];
    public List<TargetLink> Befores { get; } = [];
    public List<TargetLink> Triggered { get; } = [];
    public List<TargetLink> TriggeredByLinks { get; } = [];
    public List<(Func<bool> Condition, string Because)> StaticConditions { get; } = [];
    public List<(Func<bool> Condition, string Because)> DynamicConditions { get; } = [];
    public List<LambdaExpression> Requirements { get; } = [];
    public bool Proceeds { get; private set; }
    public bool Assured { get; private set; }
    public List<string> Products { get; } = [];
    public HashSet<string> Resources { get; } = new(StringComparer.OrdinalIgnoreCase);
    public CacheInputs? CacheInputs { get; private set; }
    public bool CachesParts { get; private set; }
    public string? SideEffects { get; private set; }
    public List<Action<PreflightChecks>> InputChecks { get; } = [];
    public List<Func<PreflightChecks, Task>> LateChecks { get; } = [];
    public List<Func<Task<IReadOnlyList<string>>>> PlanExplanations { get; } = [];
    public List<System.Reflection.PropertyInfo> Results { get; } = [];
    public List<Func<Task>> Actions { get; } = [];
    public List<GitHubActionsPermission> Permissions { get; } = [];
    public List<string> IdTokenParameters { get; } = [];
    public bool PushesWithGitCredentials { get; private set; }
    public bool RunsOnEnvironmentRunners { get; private set; }

    public ITargetDefinition Description(string text) => Do(() => Text = text);

    public ITargetDefinition Unlisted() => Do(() => IsUnlisted = true);

    public ITargetDefinition Inherit<T>(Expression<Func<T, Target>> target)
        where T : IPipelineBuild
    {
        if (build is not T component)
            throw new InvalidOperationException(
                $"Inherit<{typeof(T).Name}> works in a build that implements {typeof(T).Name}"
            );
        if (target.Body is not MemberExpression { Member: System.Reflection.PropertyInfo { GetMethod: { } getter } })
            throw new ArgumentException($"'{target}' does not name a target property (write x => x.Test)");
        ComponentTarget.Read(component, getter)(this);
        return this;
    }

    public ITargetDefinition DependsOn(params Target[] targets) => Add(Dependencies, targets);

    public ITargetDefinition After(params Target[] targets) => Add(Afters, targets);

    public ITargetDefinition Before(params Target[] targets) => Add(Befores, targets);

    public ITargetDefinition Triggers(params Target[] targets) => Add(Triggered, targets);

    public ITargetDefinition TriggeredBy(params Target[] targets) => Add(TriggeredByLinks, targets);

    public ITargetDefinition DependsOn<T>(params Func<T, Target>[] targets)
        where T : IPipelineBuild => Add(Dependencies, targets, optional: false);

    public ITargetDefinition TryDependsOn<T>(params Func<T, Target>[] targets)
        where T : IPipelineBuild => Add(Dependencies, targets, optional: true);

    public ITargetDefinition After<T>(params Func<T, Target>[] targets)
        where T : IPipelineBuild => Add(Afters, targets, optional: false);

    public ITargetDefinition TryAfter<T>(params Func<T, Target>[] targets)
        where T : IPipelineBuild => Add(Afters, targets, optional: true);

    public ITargetDefinition Before<T>(params Func<T, Target>[] targets)
        where T : IPipelineBuild => Add(Befores, targets, optional: false);

    public ITargetDefinition TryBefore<T>(params Func<T, Target>[] targets)
        where T : IPipelineBuild => Add(Befores, targets, optional: true);

    public ITargetDefinition Triggers<T>(params Func<T, Target>[] targets)
        where T : IPipelineBuild => Add(Triggered, targets, optional: false);

    public ITargetDefinition TryTriggers<T>(params Func<T, Target>[] targets)
        where T : IPipelineBuild => Add(Triggered, targets, optional: true);

    public ITargetDefinition TriggeredBy<T>(params Func<T, Target>[] targets)
        where T : IPipelineBuild => Add(TriggeredByLinks, targets, optional: false);

    public ITargetDefinition TryTriggeredBy<T>(params Func<T, Target>[] targets)
        where T : IPipelineBuild => Add(TriggeredByLinks, targets, optional: true);

    public ITargetDefinition OnlyWhenStatic(Func<bool> condition, string? because = null) =>
        Do(() => StaticConditions.Add((condition, because ?? "static condition is false")));

    public ITargetDefinition OnlyWhenDynamic(Func<bool> condition, string? because = null) =>
        Do(() => DynamicConditions.Add((condition, because ?? "condition is false")));

    public ITargetDefinition Requires<T>(Expression<Func<T>> parameter) => Do(() => Requirements.Add(parameter));

    public ITargetDefinition Requires(Expression<Func<bool>> condition) => Do(() => Requirements.Add(condition));

    public ITargetDefinition ProceedAfterFailure() => Do(() => Proceeds = true);

    public ITargetDefinition AssuredAfterFailure() => Do(() => Assured = true);

    public ITargetDefinition Produces(params string[] paths) => Do(() => Products.AddRange(paths));

    public ITargetDefinition Uses(params string[] resources) => Do(() => Resources.UnionWith(resources));

    public ITargetDefinition Inputs(Func<CacheInputs, CacheInputs> declare) =>
        Do(() => CacheInputs = declare(CacheInputs ?? new CacheInputs()));

    public ITargetDefinition CachedInParts() => Do(() => CachesParts = true);

    public ITargetDefinition HasSideEffects(string what) => Do(() => SideEffects = what);

    public ITargetDefinition Preflight(Action<PreflightChecks> checks) => Do(() => InputChecks.Add(checks));

    public ITargetDefinition PreflightBeforeSideEffects(Func<PreflightChecks, Task> checks) =>
        Do(() => LateChecks.Add(checks));

    public ITargetDefinition ExplainsPlan(Func<Task<IReadOnlyList<string>>> explain) =>
        Do(() => PlanExplanations.Add(explain));

    public ITargetDefinition Produces<T>(Expression<Func<T?>> result)
        where T : class => Do(() => Results.Add(ResultAccess.Member(result)));

    public ITargetDefinition UsesPermissions(params GitHubActionsPermission[] permissions) =>
        Do(() =>
        {
            Permissions.AddRange(permissions);
            if (
                permissions.Where(p => p.IsWrite()).Select(p => (GitHubActionsPermission?)p).FirstOrDefault() is
                { } write
            )
            {
                DynamicConditions.Add(
                    (
                        () => BuildContext.Current.Host.GitHubActions is not { IsForkPullRequest: true },
                        $"a fork pull request gets a read-only token, and this target needs {write.Describe()}"
                    )
                );
            }
        });

    public ITargetDefinition UsesIdTokenWhen(params string[] parameters) =>
        Do(() =>
        {
            UsesPermissions(GitHubActionsPermission.IdTokenWrite);
            IdTokenParameters.AddRange(parameters);
        });

    public ITargetDefinition PushesWithGit() => Do(() => PushesWithGitCredentials = true);

    public ITargetDefinition RunsOnEnvironmentRunner() => Do(() => RunsOnEnvironmentRunners = true);

    public ITargetDefinition Executes(Action action) =>
        Do(() =>
            Actions.Add(() =>
            {
                action();
                return Task.CompletedTask;
            })
        );

    public ITargetDefinition Executes(Func<Task> action) => Do(() => Actions.Add(action));

    private TargetDefinition Do(Action change)
    {
        change();
        return this;
    }

    private TargetDefinition Add(List<TargetLink> links, Target[] targets) =>
        Do(() => links.AddRange(targets.Select(TargetLink.Direct)));

    private TargetDefinition Add<T>(List<TargetLink> links, Func<T, Target>[] targets, bool optional) =>
        Do(() => links.AddRange(targets.Select(t => TargetLink.Typed(t, optional))));
}
