using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Engine.Results;
using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Caching;

/// <summary>
/// The cache around one target run: before it, a target with declared inputs is served from an entry when one
/// exists (product files and typed results restored, result lines, outputs and summary replayed); after it, its
/// product files and typed result files (<see cref="ResultStore"/>) are saved, or, with
/// <c>--verify-cache</c>, compared with the entry and differences reported as non-determinism.
/// </summary>
internal sealed class CachedRun(PlannedTarget planned, BuildContext context, RunningTargetScope scope)
{
    private CacheRecord? _record;
    private CacheHit? _verifying;

    private BuildCache? Cache => context.Cache is { Settings.Enabled: true } cache ? cache : null;

    private TargetDefinition Definition => planned.Target.Definition;

    public async Task<bool> TryServeAsync()
    {
        if (Definition.CacheInputs is null || Definition.CachesParts)
            return false;
        if (Cache is not { } cache)
        {
            planned.CacheMiss = "the cache is off in this run (--no-cache)";
            return false;
        }

        _record = await cache.RecordAsync(planned.Name, Definition.CacheInputs, scope.Upstream);
        var hit = await cache.TryRestoreAsync(_record, context.Output);
        if (hit is null)
        {
            planned.CacheMiss = cache.MissReason(_record);
            return false;
        }

        if (cache.Settings.Verify)
        {
            _verifying = hit;
            context.Output.Write(
                LogLevel.Info,
                $"{planned.Name}: entry {hit.ShortKey} found in "
                    + $"{hit.Store}; running anyway to verify it (--verify-cache)"
            );
            return false;
        }

        // The typed results came back as files under artifacts/results/; load them so dependents read the members.
        foreach (var result in planned.Target.Results)
        {
            ResultStore.Restore(context, result);
            ResultStore.SyncParts(context, result); // part files match the restored value, not an older run's
        }

        Replay(hit);
        planned.Status = TargetStatus.Succeeded;
        planned.Cached = hit.Describe();
        planned.ResultKey = hit.Entry.Key;
        return true;
    }

    public async Task AfterRunAsync(TimeSpan duration)
    {
        var output = context.Output;
        if (Cache is { } cache && _record is not null)
        {
            var results = planned
                .Target.Results.SelectMany(r => ResultStore.FilesOf(context.RootDirectory, r))
                .Where(f => f.Exists)
                .Select(f => f.RelativeTo(context.RootDirectory))
                .ToList();
            scope.Capture.Result = TypedResults();
            var files = InputFiles
                .Match(
                    context.RootDirectory,
                    Definition.Products.Concat(Definition.CacheInputs?.ExtraOutputs ?? []),
                    outputs: true
                )
                .Union(results)
                .Order(StringComparer.Ordinal)
                .ToList();
            if (_verifying is { } earlier)
            {
                var differences = cache.Differences(earlier.Entry, files);
                if (differences.Count == 0)
                    output.Write(
                        LogLevel.Info,
                        $"{planned.Name}: outputs match cache entry {earlier.ShortKey} (deterministic)"
                    );
                foreach (var line in differences)
                    output.Annotate(LogLevel.Warning, $"{planned.Name}: not deterministic: {line}", null, null);
            }
            else
            {
                await cache.SaveAsync(_record, files, duration, scope.Capture, output);
            }

            planned.ResultKey = _record.Key;
            return;
        }

        if (scope.Capture.ServedFrom is { } served)
            planned.Cached = served.Describe();

        planned.ResultKey = scope.Capture.ResultKey;
    }

    /// <summary>The target's typed results as written to artifacts/results/ (member name to envelope), for the entry's
    /// config.</summary>
    private System.Text.Json.JsonElement? TypedResults()
    {
        var all = new System.Text.Json.Nodes.JsonObject();
        foreach (var result in planned.Target.Results)
        {
            var file = ResultStore.DirectoryOf(context.RootDirectory) / result.FileName;
            if (file.Exists)
                all[result.Name] = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file));
        }

        return all.Count == 0 ? null : System.Text.Json.JsonSerializer.SerializeToElement(all);
    }

    /// <summary>What the target would have printed about its result, and its outputs and summary, as the original run
    /// left them.</summary>
    private void Replay(CacheHit hit)
    {
        var output = context.Output;
        output.Write(LogLevel.Info, $"{planned.Name}: {hit.Describe()}");
        foreach (var line in hit.Entry.ResultLines)
            output.Write(LogLevel.Info, line);
        foreach (var (name, value) in hit.Entry.Outputs)
            context.SetOutput(name, value);
        if (hit.Entry.SummaryMarkdown is { } markdown)
            context.AppendSummary(markdown);
    }
}
