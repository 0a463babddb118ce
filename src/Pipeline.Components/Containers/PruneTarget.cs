using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Pipeline.Containers;
using Pipeline.Containers.Prune;
using Pipeline.Engine.Caching;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;

namespace Pipeline.Components.Containers;

/// <summary>What the Prune target does.</summary>
internal static partial class PruneTarget
{
    public static async Task RunAsync(IPrune build)
    {
        var (folder, entries, bytes) = TargetCache.PruneLocal(build.PruneApply);
        Log.Info(
            $"Target cache {folder}: {(build.PruneApply ? "removed" : "would remove")} "
                + $"{entries} least recently used entr{(entries == 1 ? "y" : "ies")} "
                + $"({Bytes.Format(bytes)}) to stay under its size bound"
        );
        var options = new PruneOptions
        {
            OlderThan = ParseAge(build.PruneOlderThan, "--prune-older-than / PRUNE_OLDER_THAN"),
            ProtectedTagPatterns = build.PruneProtectedTags,
            ProtectedLabels = build.PruneProtectedLabels,
        };

        await using var engine = await build.ConnectContainerEngineAsync();
        var pruner = new ImagePruner(engine, Log.Logger);
        PrunePlan plan;
        try
        {
            plan = await pruner.PlanAsync(options);
        }
        catch (ContainerException e)
        {
            throw new BuildFailure(e.Message, inner: e);
        }

        var remove = plan.ToRemove.ToList();
        Log.Info(
            $"{(build.PruneApply ? "Removing" : "Would remove")} {remove.Count} image(s) and "
                + $"{plan.BuildCache.Count} build-cache record(s) older than {build.PruneOlderThan} "
                + $"({Bytes.Format(plan.ListedBytes)} listed; shared layers count once on disk):"
        );
        foreach (var image in remove)
            Log.Info($"  - {image.DisplayName}  {Bytes.Format(image.Size)}  created {image.Created:yyyy-MM-dd HH:mm}Z");
        foreach (var cache in plan.BuildCache)
            Log.Info(
                $"  - build cache {cache.Id} ({cache.Type})  {Bytes.Format(cache.Size)} "
                    + $" last used {cache.LastUsed:yyyy-MM-dd HH:mm}Z"
            );
        foreach (var kept in plan.ToKeep.Where(k => !k.Reason.StartsWith("newer", StringComparison.Ordinal)))
            Log.Debug($"  keep {kept.DisplayName}: {kept.Reason}");
        StepOutputs.Set("prune-candidates", remove.Count.ToString(CultureInfo.InvariantCulture));

        if (!build.PruneApply)
        {
            Log.Info("Dry run: nothing removed; run with --prune-apply to remove");
            Summary.Append(Markdown(plan, null));
            return;
        }

        PruneReport report;
        try
        {
            report = await pruner.ApplyAsync(plan);
        }
        catch (ContainerException e)
        {
            throw new BuildFailure(e.Message, inner: e);
        }

        foreach (var (image, reason) in report.NotRemoved)
            Log.Warn($"Prune kept {image.DisplayName}: {reason}");
        var freed = (report.FreedBytes ?? report.ListedBytes) + report.BuildCacheFreedBytes;
        var estimate = report.FreedBytes is null ? " (listed sizes; the engine reports no disk usage)" : "";
        Log.Info($"Removed {report.Removed.Count} image(s); freed {Bytes.Format(freed)}{estimate}");
        StepOutputs.Set("prune-removed", report.Removed.Count.ToString(CultureInfo.InvariantCulture));
        StepOutputs.Set("prune-freed-bytes", freed.ToString(CultureInfo.InvariantCulture));
        Summary.Append(Markdown(plan, report));
    }

    /// <summary>Reads <c>24h</c>, <c>90m</c>, <c>7d</c>, <c>3600s</c> or a .NET TimeSpan (<c>1.00:00:00</c>); the error
    /// names the parameter.</summary>
    internal static TimeSpan ParseAge(string text, string source)
    {
        var match = Age().Match(text.Trim());
        if (match.Success)
        {
            var n = double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
            return match.Groups["u"].Value switch
            {
                "d" => TimeSpan.FromDays(n),
                "h" => TimeSpan.FromHours(n),
                "m" => TimeSpan.FromMinutes(n),
                _ => TimeSpan.FromSeconds(n),
            };
        }

        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero)
            return span;
        throw new BuildFailure($"{source}: '{text}' is not an age (use 24h, 90m, 7d or d.hh:mm:ss)");
    }

    private static string Markdown(PrunePlan plan, PruneReport? report)
    {
        var text = new StringBuilder(report is null ? "### Prune (dry run)\n\n" : "### Prune\n\n");
        var rows = report?.Removed ?? plan.ToRemove.ToList();
        text.Append(
            report is null
                ? $"Would remove {rows.Count} image(s), {Bytes.Format(plan.ListedBytes)} listed.\n\n"
                : $"Removed {rows.Count} image(s), freed "
                    + $"{Bytes.Format((report.FreedBytes ?? report.ListedBytes) + report.BuildCacheFreedBytes)}.\n\n"
        );
        if (rows.Count == 0)
            return text.ToString();
        text.Append("| Image | Size | Created |\n|---|---:|---|\n");
        foreach (var row in rows)
            text.Append($"| `{row.DisplayName}` | {Bytes.Format(row.Size)} | {row.Created:yyyy-MM-dd HH:mm}Z |\n");
        return text.ToString();
    }

    [GeneratedRegex(@"^(?<n>\d+(?:\.\d+)?)(?<u>[dhms])$")]
    private static partial Regex Age();
}
