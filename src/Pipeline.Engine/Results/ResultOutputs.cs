using System.Text.Json;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;

namespace Pipeline.Engine.Results;

/// <summary>
/// Hands this run's typed results to later workflow jobs: on GitHub Actions, each result a target set in this run is
/// written to <c>$GITHUB_OUTPUT</c> as <c>&lt;Target&gt;.&lt;Member&gt;</c> (the result file's name) with its value as
/// one line of JSON. A generated job maps the ones it declares to <c>needs.&lt;job&gt;.outputs.&lt;name&gt;</c>; a list
/// becomes a matrix through <c>fromJSON</c>. Values are masked like every other output.
/// </summary>
internal static class ResultOutputs
{
    // GitHub keeps at most 1 MB of outputs per job; a larger value would fail the whole job's outputs.
    private const int MaxLength = 1024 * 1024;

    public static void Write(ExecutionPlan plan, BuildContext context)
    {
        if (context.Host.GitHubActions is null)
            return;
        var options = new JsonSerializerOptions(ResultJson.Options(context.RootDirectory)) { WriteIndented = false };
        foreach (var planned in plan.Targets.Where(t => t.Status == TargetStatus.Succeeded))
        {
            foreach (var result in planned.Target.Results)
            {
                if (context.Results.Get(result.Key) is not { } value)
                    continue;
                var json = JsonSerializer.Serialize(value, result.Type, options);
                if (json.Length > MaxLength)
                {
                    context.Output.Write(
                        LogLevel.Warning,
                        $"{result}: {json.Length} characters of JSON is more than a job output "
                            + $"can hold; later jobs read it from artifacts/results/{result.FileName}"
                    );
                    continue;
                }

                context.SetOutput(result.ToString(), json);
            }
        }
    }
}
