using System.Text;
using System.Text.Json;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Engine.Results;

namespace Pipeline.Components.Services;

/// <summary>What the AffectedServices target does: decide, say why (each service with its changed paths), and hand the
/// names on.</summary>
internal static class AffectedServicesTarget
{
    private const int PathsShown = 5;

    public static async Task RunAsync(IServices build)
    {
        var catalog = ServiceCatalog.Read(build);
        // preflight refused these already; a later edit of the file is still refused
        if (catalog.Problems.Count > 0)
            throw new BuildFailure(catalog.Problems[0]);
        var plan = await ServiceChanges.PlanAsync(build, catalog.Services);
        foreach (var line in Lines(plan, catalog.Services.Count))
            Log.Info(line);
        build.SetResult(() => build.ServicePlan, plan);
        StepOutputs.Set("services", JsonSerializer.Serialize(plan.Names));
        Summary.Append(Markdown(plan));
    }

    /// <summary>
    /// For <c>--plan</c>: the same lines, worked out from git alone, nothing written; then each service's own image
    /// values, since the <c>--image-*</c> parameters <c>--help</c> lists are the repository's one image, not a
    /// service's.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ExplainAsync(IServices build)
    {
        var catalog = ServiceCatalog.Read(build);
        if (catalog.Problems.Count > 0)
            return [catalog.Problems[0]];
        var lines = Lines(await ServiceChanges.PlanAsync(build, catalog.Services), catalog.Services.Count);
        lines.Add("Each service's image (SERVICE_<NAME>_*):");
        lines.AddRange(catalog.Services.Select(s => "  " + ImageLine(build, s)));
        return lines;
    }

    private static string ImageLine(IServices build, ServiceDefinition service)
    {
        var parts = new List<string>
        {
            $"{service.Name}: image {service.Image}",
            $"context {service.Context.RelativeTo(build.RootDirectory)}",
        };
        if (service.Containerfile is { } file)
            parts.Add($"containerfile {file.RelativeTo(build.RootDirectory)}");
        if (service.Target is { } stage)
            parts.Add($"stage {stage}");
        // names only: a value may be a secret
        if (service.BuildArgs.Count > 0)
            parts.Add($"build args {string.Join(",", service.BuildArgs.Select(a => a.Split('=')[0]))}");
        if (service.TagPrefix is { } prefix)
            parts.Add($"tag prefix {prefix}");
        if (service.Platforms is { Count: > 0 } platforms)
            parts.Add($"platforms {string.Join(",", platforms)}");
        return string.Join(", ", parts);
    }

    private static List<string> Lines(ServicePlan plan, int services)
    {
        var lines = new List<string> { $"Services: {plan.Affected.Count} of {services} affected — {plan.Basis}" };
        if (plan.Affected.All(a => a.Reason == plan.Basis && a.ChangedPaths.Count == 0))
        {
            // All for one reason (no base, or --all-services): the names once, not the reason again per service.
            if (plan.Affected.Count > 0)
                lines.Add($"  {string.Join(", ", plan.Affected.Select(a => a.Name))}");
            return lines;
        }

        foreach (var service in plan.Affected)
        {
            var paths =
                service.ChangedPaths.Count == 0
                    ? ""
                    : ": "
                        + string.Join(", ", service.ChangedPaths.Take(PathsShown))
                        + (service.ChangedPaths.Count > PathsShown ? $", … ({service.ChangedPaths.Count} in all)" : "");
            lines.Add($"  {service.Name}: {service.Reason}{paths}");
        }

        if (plan.Unaffected.Count > 0)
            lines.Add($"  unchanged: {string.Join(", ", plan.Unaffected)}");
        return lines;
    }

    private static string Markdown(ServicePlan plan)
    {
        var text = new StringBuilder(
            $"### Affected services\n\n{plan.Basis}\n\n| service | why | changed paths |\n|---|---|---|\n"
        );
        foreach (var service in plan.Affected)
            text.Append(
                $"| `{service.Name}` | {service.Reason} | "
                    + $"{string.Join(", ", service.ChangedPaths.Take(PathsShown).Select(p => $"`{p}`"))} |\n"
            );
        foreach (var name in plan.Unaffected)
            text.Append($"| `{name}` | unchanged | |\n");
        return text.ToString();
    }
}
