using System.Collections;
using System.Text.RegularExpressions;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Results;
using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Workflows;

/// <summary>
/// Splits a workflow's targets into the jobs its <see cref="GitHubActionsJobAttribute"/>s declare, from the target
/// graph:
/// <list type="bullet">
/// <item>a job runs its targets and what they pull in (DependsOn, Triggers, TriggeredBy) up to targets named by another
/// job; targets no job names run in every job that reaches them (set-up such as SystemTools belongs there);</item>
/// <item>a job needs every job holding a target one of its own must run after (DependsOn, After, Before, triggers), and
/// the job its matrix comes from;</item>
/// <item>it skips (<c>--skip</c>) the targets of all jobs upstream of it and anything it would reach only through
/// another job's targets, so nothing upstream runs twice and skipped targets' typed results are restored from the
/// download.</item>
/// </list>
/// Every mistake (unknown target, a target in two jobs, a cycle between jobs, a bad output or matrix) is one line.
/// </summary>
internal static partial class WorkflowJobs
{
    public const string BuildStepId = "build";

    public static IReadOnlyList<JobPlan> Split(
        string buildName,
        GitHubActionsAttribute workflow,
        IReadOnlyList<GitHubActionsJobAttribute> declared,
        IReadOnlyList<BuildTarget> graph,
        Func<string, string, ParameterDescriptor> secret,
        Func<string, string, ParameterDescriptor> variable,
        Dictionary<string, ParameterDescriptor> parameters,
        EnvironmentRunners runners
    )
    {
        string Where(GitHubActionsJobAttribute j) =>
            $"[GitHubActionsJob(\"{j.Workflow}\", \"{j.Job}\")] on {buildName}";
        var byName = graph.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);
        var names = string.Join(", ", graph.Select(t => t.Name).Order(StringComparer.Ordinal));

        var jobs = new Dictionary<string, GitHubActionsJobAttribute>(StringComparer.Ordinal);
        var owner = new Dictionary<BuildTarget, GitHubActionsJobAttribute>();
        foreach (var job in declared.OrderBy(j => j.Job, StringComparer.Ordinal))
        {
            if (!Identifier().IsMatch(job.Job))
                throw new BuildFailure($"{Where(job)}: a job id is a letter or '_', then letters, digits, '-' and '_'");
            if (!jobs.TryAdd(job.Job, job))
                throw new BuildFailure($"{Where(job)}: declared more than once");
            if (job.InvokedTargets.Length == 0)
                throw new BuildFailure($"{Where(job)}: InvokedTargets is empty; name the targets the job runs");
            foreach (var name in job.InvokedTargets)
            {
                if (!byName.TryGetValue(name, out var target))
                    throw new BuildFailure(
                        $"{Where(job)}: InvokedTargets names '{name}', which "
                            + $"is not a target of the build (targets: {names})"
                    );
                if (owner.TryGetValue(target, out var other) && other != job)
                    throw new BuildFailure(
                        $"{Where(job)}: target '{target.Name}' is also in job '{other.Job}'; a target runs in one job"
                    );
                owner[target] = job;
            }
        }

        // What each job runs itself: its targets and what they pull in, short of another job's targets.
        var own = jobs.Values.ToDictionary(
            j => j,
            j => Reach(Targets(j, byName), graph, t => owner.TryGetValue(t, out var o) && o != j)
        );
        var needs = jobs.Values.ToDictionary(
            j => j,
            j =>
                own[j]
                    .SelectMany(Predecessors(graph))
                    .Where(p => owner.TryGetValue(p, out var o) && o != j)
                    .Select(p => owner[p].Job)
                    .ToHashSet(StringComparer.Ordinal)
        );

        var outputs = jobs.Values.ToDictionary(j => j, j => Outputs(Where(j), j, own[j]));
        var matrices = new Dictionary<GitHubActionsJobAttribute, JobMatrix>();
        foreach (
            var job in jobs.Values.Where(j =>
                j.MatrixFrom is not null || j.MatrixParameter is not null || j.MaxParallel != 0
            )
        )
        {
            var (source, matrix) = Matrix(Where(job), job, jobs, outputs, parameters);
            needs[job].Add(source);
            matrices[job] = matrix;
        }

        var order = Order(buildName, workflow, jobs, needs);
        var upstream = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var id in order)
            upstream[id] = needs[jobs[id]].SelectMany(n => upstream[n].Append(n)).ToHashSet(StringComparer.Ordinal);

        var position = Planner.Order(graph).Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i);
        var handsOn = order
            .Where(id =>
                order.Any(other => upstream[other].Contains(id))
                && own[jobs[id]].Any(t => t.Definition.Results.Count > 0)
            )
            .ToHashSet(StringComparer.Ordinal);

        return order
            .Select(id =>
            {
                var job = jobs[id];
                var reached = Reach(Targets(job, byName), graph, _ => false);
                // Everything an upstream job ran (its named targets and what they pulled in, e.g. TagCalVer under
                // Release), so their results are restored here and nothing runs twice.
                var skip = upstream[id]
                    .SelectMany(u => own[jobs[u]])
                    .Concat(reached.Except(own[job]))
                    .Except(own[job])
                    .Distinct()
                    .OrderBy(t => position[t])
                    .Select(t => t.Name)
                    .ToList();
                var matrix = matrices.GetValueOrDefault(job);
                var environment = job.Environment ?? workflow.Environment;
                // A job that talks to its environment's machine runs there (DEPLOY_<ENV>_RUNS_ON), unless its attribute
                // says where.
                var runsOn =
                    job.RunsOn
                    ?? (
                        environment is not null && own[job].Any(t => t.Definition.RunsOnEnvironmentRunners)
                            ? runners.LabelsOf(environment)
                            : null
                    )
                    ?? workflow.RunsOn;
                if (runsOn.Length == 0 || runsOn.Any(string.IsNullOrWhiteSpace))
                    throw new BuildFailure($"{Where(job)}: RunsOn needs at least one non-empty runner label");
                if (job.TimeoutMinutes < 0)
                    throw new BuildFailure(
                        $"{Where(job)}: TimeoutMinutes must not be negative, got {job.TimeoutMinutes}"
                    );
                // artifacts are immutable: one name per matrix leg
                var suffix = matrix is null ? "" : "-${{ strategy.job-index }}";
                var secrets = (job.ImportSecrets ?? workflow.ImportSecrets)
                    .Select(member => secret(Where(job), member))
                    .ToList();
                var variables = (job.ImportVariables ?? workflow.ImportVariables)
                    .Select(member => variable(Where(job), member))
                    .ToList();
                string[] arguments = [.. workflow.Arguments, .. job.Arguments];
                // handed through the environment
                if (matrix is not null)
                    arguments = [.. arguments, "--" + ParameterNames.ToKebab(job.MatrixParameter!)];
                return new JobPlan(id, Targets(job, byName).Select(t => t.Name).ToList())
                {
                    Skip = skip,
                    Needs = order.Where(needs[job].Contains).ToList(),
                    RunsOn = runsOn,
                    Environment = environment,
                    TimeoutMinutes = job.TimeoutMinutes > 0 ? job.TimeoutMinutes : workflow.TimeoutMinutes,
                    Caches = job.Caches ?? workflow.Caches,
                    Secrets = secrets,
                    Variables = variables,
                    Arguments = [.. workflow.Arguments, .. job.Arguments],
                    Permissions = WorkflowGenerator.Granted(
                        [.. workflow.Permissions, .. job.Permissions],
                        own[job],
                        WorkflowGenerator.Handed(secrets, variables, arguments, parameters)
                    ),
                    PersistCredentials = own[job].Any(t => t.Definition.PushesWithGitCredentials),
                    Outputs =
                        outputs[job].Count == 0
                            ? null
                            : new(
                                outputs[job].ToDictionary(o => o.Key, o => o.Value.Expression),
                                StringComparer.Ordinal
                            ),
                    Matrix = matrix,
                    Downloads = order.Where(u => upstream[id].Contains(u) && handsOn.Contains(u)).ToList(),
                    HandOff = handsOn.Contains(id) ? ResultsArtifact(workflow.Name, id) + suffix : null,
                    PublishedArtifacts = workflow.PublishArtifacts ? $"{workflow.Name}-{id}-artifacts{suffix}" : null,
                };
            })
            .ToList();
    }

    /// <summary>The artifact a job's <c>artifacts/results/</c> is uploaded as (matrix legs add
    /// <c>-&lt;index&gt;</c>).</summary>
    public static string ResultsArtifact(string workflow, string job) => $"{workflow}-{job}-results";

    /// <summary>The targets reachable from <paramref name="roots"/> the way the planner schedules them, not entering
    /// <paramref name="stop"/>.</summary>
    public static HashSet<BuildTarget> Reach(
        IEnumerable<BuildTarget> roots,
        IReadOnlyList<BuildTarget> graph,
        Func<BuildTarget, bool> stop
    )
    {
        var pending = new Stack<BuildTarget>(roots);
        var seen = new HashSet<BuildTarget>();
        while (pending.TryPop(out var target))
        {
            if (!seen.Add(target))
                continue;
            foreach (
                var next in target
                    .DependsOn.Concat(target.Triggers)
                    .Concat(graph.Where(t => t.TriggeredBy.Contains(target)))
                    .Where(n => !stop(n))
            )
                pending.Push(next);
        }

        return seen;
    }

    private static IEnumerable<BuildTarget> Targets(
        GitHubActionsJobAttribute job,
        Dictionary<string, BuildTarget> byName
    ) => job.InvokedTargets.Select(n => byName[n]).Distinct();

    // Targets that must come before t when both run: the planner's ordering relations.
    private static Func<BuildTarget, IEnumerable<BuildTarget>> Predecessors(IReadOnlyList<BuildTarget> graph) =>
        t =>
            t.DependsOn.Concat(t.After)
                .Concat(t.TriggeredBy)
                .Concat(graph.Where(x => x.Before.Contains(t) || x.Triggers.Contains(t)));

    private static Dictionary<string, (string Expression, DeclaredResult? Result)> Outputs(
        string where,
        GitHubActionsJobAttribute job,
        HashSet<BuildTarget> own
    )
    {
        var outputs = new Dictionary<string, (string Expression, DeclaredResult? Result)>(StringComparer.Ordinal);
        foreach (var entry in job.Outputs)
        {
            string name;
            DeclaredResult? result = null;
            if (entry.Split('.') is [var targetName, var member])
            {
                var target =
                    own.FirstOrDefault(t => string.Equals(t.Name, targetName, StringComparison.OrdinalIgnoreCase))
                    ?? throw new BuildFailure(
                        $"{where}: Outputs names '{entry}', but '{targetName}' is not a target this job runs"
                    );
                result =
                    target.Results.FirstOrDefault(r =>
                        string.Equals(r.Name, member, StringComparison.OrdinalIgnoreCase)
                    )
                    ?? throw new BuildFailure(
                        $"{where}: Outputs names '{entry}', but {target.Name} produces "
                            + $"no result '{member}' (it produces: {Describe(target.Results)})"
                    );
                name = ParameterNames.ToKebab(result.Name);
            }
            else if (Identifier().IsMatch(entry))
            {
                name = entry;
            }
            else
            {
                throw new BuildFailure(
                    $"{where}: Outputs entry '{entry}' is neither a typed result "
                        + $"(Target.Member) nor a step output name (letters, digits, '-' and '_')"
                );
            }

            // A typed result's step output is named like its file, artifacts/results/<Target>.<Member>.json.
            var expression = result is null
                ? $"${{{{ steps.{BuildStepId}.outputs.{name} }}}}"
                : $"${{{{ steps.{BuildStepId}.outputs['{result}'] }}}}";
            if (!outputs.TryAdd(name, (expression, result)))
                throw new BuildFailure($"{where}: two Outputs entries are both named '{name}'");
        }

        return outputs;
    }

    private static (string Source, JobMatrix Matrix) Matrix(
        string where,
        GitHubActionsJobAttribute job,
        Dictionary<string, GitHubActionsJobAttribute> jobs,
        Dictionary<GitHubActionsJobAttribute, Dictionary<string, (string Expression, DeclaredResult? Result)>> outputs,
        Dictionary<string, ParameterDescriptor> parameters
    )
    {
        if (job.MatrixFrom is null || job.MatrixParameter is null)
            throw new BuildFailure($"{where}: a matrix needs both MatrixFrom (\"<job>.<output>\") and MatrixParameter");
        if (job.MaxParallel < 0)
            throw new BuildFailure($"{where}: MaxParallel must not be negative, got {job.MaxParallel}");
        if (job.Outputs.Length > 0)
            throw new BuildFailure(
                $"{where}: a matrix job cannot declare Outputs (GitHub keeps "
                    + $"whichever leg finished last); hand results on through artifacts"
            );
        if (
            job.MatrixFrom.Split('.') is not [var sourceId, var output]
            || !jobs.TryGetValue(sourceId, out var source)
            || source == job
        )
        {
            throw new BuildFailure(
                $"{where}: MatrixFrom '{job.MatrixFrom}' is not \"<job>.<output>\" of another job "
                    + $"of the workflow (jobs: {string.Join(", ", jobs.Keys.Where(k => k != job.Job))})"
            );
        }

        if (!outputs[source].TryGetValue(output, out var declared))
        {
            throw new BuildFailure(
                $"{where}: MatrixFrom '{job.MatrixFrom}': job '{sourceId}' has "
                    + $"no output '{output}' (outputs: {Describe(outputs[source].Keys)})"
            );
        }

        if (
            declared.Result is { } result
            && (result.Type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(result.Type))
        )
        {
            throw new BuildFailure(
                $"{where}: MatrixFrom '{job.MatrixFrom}' is {result} "
                    + $"({result.Type.Name}), not a list; a matrix needs a JSON array"
            );
        }

        if (!parameters.TryGetValue(job.MatrixParameter, out var parameter))
            throw new BuildFailure(
                $"{where}: MatrixParameter names '{job.MatrixParameter}', which is not a parameter of the build"
            );
        if (parameter.IsSecret)
            throw new BuildFailure(
                $"{where}: MatrixParameter names secret '{parameter.Member}'; "
                    + $"matrix values are shown in job names and logs"
            );
        return (
            sourceId,
            new JobMatrix(
                parameter.Key.ToLowerInvariant(),
                $"needs.{sourceId}.outputs.{output}",
                parameter.Key,
                job.MaxParallel
            )
        );
    }

    /// <summary>Job ids upstream first (ties by id), or one line naming the cycle.</summary>
    private static List<string> Order(
        string buildName,
        GitHubActionsAttribute workflow,
        Dictionary<string, GitHubActionsJobAttribute> jobs,
        Dictionary<GitHubActionsJobAttribute, HashSet<string>> needs
    )
    {
        var order = new List<string>();
        while (order.Count < jobs.Count)
        {
            var next = jobs
                .Keys.Where(id => !order.Contains(id) && needs[jobs[id]].All(order.Contains))
                .Order(StringComparer.Ordinal)
                .FirstOrDefault();
            if (next is null)
            {
                var path = new List<string>();
                var current = jobs.Keys.Where(id => !order.Contains(id)).Order(StringComparer.Ordinal).First();
                while (!path.Contains(current))
                {
                    path.Add(current);
                    current = needs[jobs[current]].Where(n => !order.Contains(n)).Order(StringComparer.Ordinal).First();
                }

                var cycle = path.Skip(path.IndexOf(current)).Append(current);
                throw new BuildFailure(
                    $"[GitHubActions(\"{workflow.Name}\")] on {buildName}: "
                        + $"its jobs need each other in a cycle ({string.Join(" needs ", cycle)}); "
                        + $"move the targets that tie them into one job"
                );
            }

            order.Add(next);
        }

        return order;
    }

    private static string Describe(IEnumerable<object> items) =>
        items.Select(i => i.ToString()).ToList() is { Count: > 0 } list ? string.Join(", ", list) : "none";

    // GitHub's spelling of job ids and output names.
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]*$")]
    private static partial Regex Identifier();
}
