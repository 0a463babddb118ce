using System.Security.Cryptography;
using System.Text;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Caching;

/// <summary>
/// For a target that caches its parts itself (<see cref="ITargetDefinition.CachedInParts"/>): one record, lookup and
/// save per part, on top of the target's declared inputs. Test uses it per test project, so a change to one project
/// reruns only that project's tests.
/// </summary>
public static class TargetCache
{
    /// <summary>False with <c>--no-cache</c>, outside a planned run, or outside a target.</summary>
    public static bool Enabled => Context.Cache is { Settings.Enabled: true } && Context.Target is not null;

    /// <summary><c>--verify-cache</c>: run anyway, then compare the outputs with the entry.</summary>
    public static bool Verifying => Context.Cache?.Settings.Verify == true;

    /// <summary>The record of part <paramref name="part"/>: the target's declared inputs plus <paramref
    /// name="extra"/>.</summary>
    public static Task<CacheRecord> RecordAsync(string part, CacheInputs extra)
    {
        var (cache, scope) = Require();
        var inputs = new CacheInputs();
        foreach (var source in new[] { scope.Inputs, extra }.OfType<CacheInputs>())
        {
            inputs
                .Files(() => source.FileGlobs)
                .Parameters([.. source.ParameterNames])
                .Environment([.. source.EnvironmentNames])
                .Tools([.. source.ToolNames]);
            foreach (var (name, value) in source.Values)
                inputs.Value(name, value);
        }

        return cache.RecordAsync($"{scope.Name}/{part}", inputs, scope.Upstream);
    }

    /// <summary>Restores the part's output files when an entry for <paramref name="record"/> exists and verifies; null
    /// on a miss.</summary>
    public static Task<CacheHit?> TryRestoreAsync(CacheRecord record)
    {
        var (cache, _) = Require();
        return cache.TryRestoreAsync(record, Context.Output);
    }

    /// <summary>Saves the part's output files (relative to the root) where the write policy allows.</summary>
    public static Task<CacheEntry> SaveAsync(CacheRecord record, IEnumerable<string> files, TimeSpan duration)
    {
        var (cache, _) = Require();
        return cache.SaveAsync(record, files.ToList(), duration, new TargetCapture(), Context.Output);
    }

    /// <summary>
    /// Tells the engine the whole target was served from these part hits: prints the <c>cached</c> line now, the
    /// summary table says cached, and dependents record the combined key as this target's result.
    /// </summary>
    public static void ServedWhole(IReadOnlyList<CacheHit> parts)
    {
        var (_, scope) = Require();
        var combined = Convert.ToHexStringLower(
            SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", parts.Select(p => p.Entry.Key))))
        );
        var from = string.Join(" + ", parts.Select(p => p.Store).Distinct());
        var entry = new CacheEntry
        {
            Key = combined,
            Unit = scope.Name,
            Record = "",
            Seconds = Math.Round(parts.Sum(p => p.Entry.Seconds), 1),
        };
        scope.Capture.ServedFrom = new CacheHit(entry, from);
        scope.Capture.ResultKey = combined;
        Context.Output.Write(LogLevel.Info, $"{scope.Name}: {scope.Capture.ServedFrom.Describe()}");
    }

    /// <summary>The combined key of parts that ran or were restored, as the target's result for its
    /// dependents.</summary>
    public static void Produced(IEnumerable<string> partKeys)
    {
        var (_, scope) = Require();
        scope.Capture.ResultKey = Convert.ToHexStringLower(
            SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", partKeys)))
        );
    }

    /// <summary>
    /// Keeps the per-user cache folder under its size bound (<c>PIPELINE_CACHE_MAX_MB</c>, default 2 GiB) by removing
    /// the least recently used entries; with <paramref name="apply"/> false only reports what it would remove.
    /// </summary>
    public static (string Folder, int Entries, long Bytes) PruneLocal(bool apply)
    {
        var cache =
            Context.Cache ?? throw new InvalidOperationException("TargetCache is only available in a planned build");
        var (entries, bytes) = cache.Local.Prune(cache.Settings.MaxBytes, dryRun: !apply);
        return (cache.Local.Directory, entries, bytes);
    }

    private static BuildContext Context => BuildContext.Current;

    private static (BuildCache Cache, RunningTargetScope Scope) Require() =>
        Context.Cache is { } cache && Context.Target is { } scope
            ? (cache, scope)
            : throw new InvalidOperationException(
                "TargetCache is only available inside a running target of a planned build"
            );
}
