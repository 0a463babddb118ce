using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using Pipeline.Engine.Output;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Paths;

namespace Pipeline.Engine.Caching;

/// <summary>
/// The cache of one run: computes records from declared inputs, looks entries up (the per-user folder first, then
/// the shared store), verifies and restores them, and saves new ones where the write policy allows. A shared store
/// that fails is a miss with one warning for the whole run, never a failure.
/// </summary>
internal sealed class BuildCache(
    AbsolutePath root,
    CacheSettings settings,
    LocalCacheStore local,
    ICacheStore? shared,
    ToolVersions tools,
    ParameterValues parameters,
    Func<string, string?> env
)
{
    private static readonly string[] SecretWords = ["TOKEN", "PASSWORD", "SECRET", "SA_KEY", "PRIVATE_KEY", "API_KEY"];

    // The release version without the "+commit" the SDK appends: keys must survive commits that change no input.
    private static readonly string EngineVersion = (
        typeof(BuildCache).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? "unknown"
    ).Split('+')[0];
    private int _sharedDown;

    public CacheSettings Settings => settings;

    /// <summary>The tool versions the keys hold, remembered per binary; the run report asks the same memo.</summary>
    public ToolVersions Tools => tools;

    public LocalCacheStore Local => local;

    public ICacheStore? Shared => shared;

    private AbsolutePath Records => root / ".nuke" / "temp" / "cache-records";

    public async Task<CacheRecord> RecordAsync(
        string unit,
        CacheInputs inputs,
        IEnumerable<(string Name, string Key)> upstream
    )
    {
        var record = new CacheRecord(unit).Add("pipeline", "version", EngineVersion);
        foreach (var file in InputFiles.Match(root, inputs.FileGlobs))
            record.Add("file", file, InputFiles.Hash(root / file));
        foreach (var member in inputs.ParameterNames)
            record.Add("parameter", member, ParameterValue(member));
        foreach (var name in inputs.EnvironmentNames)
        {
            var value = env(name);
            record.Add(
                "env",
                name,
                IsSecretName(name) ? (string.IsNullOrEmpty(value) ? "absent" : "present") : value ?? "unset"
            );
        }

        foreach (var tool in inputs.ToolNames)
            record.Add("tool", tool, await tools.VersionAsync(tool));
        foreach (var (name, value) in inputs.Values)
            record.Add("value", name, value());
        foreach (var (name, key) in upstream)
            record.Add("upstream", name, key);
        return record;
    }

    public async Task<CacheHit?> TryRestoreAsync(CacheRecord record, IOutputSink log)
    {
        var key = record.Key;
        foreach (var store in Stores())
        {
            var entry = await FindAsync(store, key, log);
            if (entry is null)
                continue;
            var problem = Problem(entry, key);
            var staging = (root / ".nuke" / "temp" / "cache-restore" / Guid.NewGuid().ToString("N")).CreateDirectory();
            try
            {
                problem ??= await StageAsync(store, entry, staging, log);
                if (problem is not null)
                {
                    log.Annotate(
                        LogLevel.Warning,
                        $"cache: entry {key[..12]} of {record.Unit} from "
                            + $"{store.Name} rejected ({problem}); running instead",
                        null,
                        null
                    );
                    continue;
                }

                foreach (var file in entry.Files)
                    RootRelocation.Restore(Path.Combine(staging, Staged(file)), root / file.Path, root);
                if (store != local && settings.Write != CacheWrite.None)
                    await SaveTo(local, entry, f => File.OpenRead(Path.Combine(staging, Staged(f))), log);
            }
            finally
            {
                Directory.Delete(staging, recursive: true);
            }

            Remember(record);
            return new CacheHit(entry, store == local ? "local cache" : store.Name);
        }

        if (
            settings.WhyMiss is { } target
            && record.Unit.Split('/')[0].Equals(target, StringComparison.OrdinalIgnoreCase)
        )
            ExplainMiss(record, log);
        return null;
    }

    /// <summary>Stores the produced files (paths relative to the root) and what the target stated, where the policy
    /// allows.</summary>
    public async Task<CacheEntry> SaveAsync(
        CacheRecord record,
        IReadOnlyList<string> files,
        TimeSpan duration,
        TargetCapture capture,
        IOutputSink log
    )
    {
        var contents = files.ToDictionary(f => f, f => RootRelocation.ForStore(root / f, root));
        var entry = new CacheEntry
        {
            Key = record.Key,
            Unit = record.Unit,
            Record = record.ToJson(),
            Files = files
                .Select(f => new CachedFile(
                    f,
                    "sha256:" + Convert.ToHexStringLower(SHA256.HashData(contents[f])),
                    contents[f].Length
                ))
                .ToList(),
            ResultLines = capture.ResultLines.ToList(),
            Outputs = new Dictionary<string, string>(capture.Outputs),
            SummaryMarkdown = capture.Summaries.IsEmpty ? null : string.Join("\n\n", capture.Summaries),
            Result = capture.Result,
            Seconds = Math.Round(duration.TotalSeconds, 1),
            Created = DateTimeOffset.UtcNow,
        };
        Stream Open(CachedFile file) => new MemoryStream(contents[file.Path], writable: false);
        if (settings.Write >= CacheWrite.Local)
            await SaveTo(local, entry, Open, log);
        if (settings.Write == CacheWrite.Shared && shared is not null && Volatile.Read(ref _sharedDown) == 0)
            await SaveTo(shared, entry, Open, log);
        Remember(record);
        return entry;
    }

    /// <summary>Digests of files as they would be stored, for <c>--verify-cache</c>: which outputs differ from the
    /// entry.</summary>
    public IReadOnlyList<string> Differences(CacheEntry entry, IReadOnlyList<string> files)
    {
        var now = files.ToDictionary(
            f => f,
            f => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(RootRelocation.ForStore(root / f, root)))
        );
        var lines = new List<string>();
        foreach (var file in entry.Files)
        {
            if (!now.TryGetValue(file.Path, out var digest))
                lines.Add($"{file.Path}: in the entry, not produced now");
            else if (digest != file.Digest)
                lines.Add($"{file.Path}: {file.Digest[7..19]} cached, {digest[7..19]} now");
        }

        lines.AddRange(
            now.Keys.Except(entry.Files.Select(f => f.Path)).Select(f => $"{f}: produced now, not in the entry")
        );
        return lines;
    }

    /// <summary>
    /// Why <paramref name="record"/> missed, in one line for the report: what changed since the unit's last hit or save
    /// in this clone (the first three of the <c>--why-miss</c> lines), or that there was none.
    /// </summary>
    public string MissReason(CacheRecord record)
    {
        var path = RecordPath(record.Unit);
        if (!File.Exists(path))
            return "no earlier hit or save of it in this clone";
        IReadOnlyList<string> differences;
        try
        {
            differences = record.DifferencesFrom(CacheRecord.FromJson(File.ReadAllText(path)));
        }
        catch (Exception e)
            when (e
                    is System.Text.Json.JsonException
                        or IOException
                        or KeyNotFoundException
                        or InvalidOperationException
            )
        {
            return "its last hit's record is not readable";
        }

        return differences.Count == 0
            ? "same inputs as its last hit, but no store has the entry now (pruned or removed)"
            : $"{differences.Count} input(s) changed since its last hit: "
                + $"{string.Join("; ", differences.Take(3))}{(differences.Count > 3 ? "; …" : "")}";
    }

    /// <summary>Prints the record entries that differ from the last hit of the same unit (<c>--why-miss</c>).</summary>
    public void ExplainMiss(CacheRecord record, IOutputSink log)
    {
        var path = RecordPath(record.Unit);
        if (!File.Exists(path))
        {
            log.Write(LogLevel.Info, $"why-miss {record.Unit}: no earlier hit recorded in this clone");
            return;
        }

        var differences = record.DifferencesFrom(CacheRecord.FromJson(File.ReadAllText(path)));
        log.Write(
            LogLevel.Info,
            $"why-miss {record.Unit}: {differences.Count} "
                + $"entr{(differences.Count == 1 ? "y differs" : "ies differ")} from the last hit"
        );
        foreach (var line in differences.Take(50))
            log.Write(LogLevel.Info, $"  {line}");
        if (differences.Count > 50)
            log.Write(LogLevel.Info, $"  … and {differences.Count - 50} more");
    }

    private IEnumerable<ICacheStore> Stores()
    {
        yield return local;
        if (shared is not null && Volatile.Read(ref _sharedDown) == 0)
            yield return shared;
    }

    private async Task<CacheEntry?> FindAsync(ICacheStore store, string key, IOutputSink log)
    {
        try
        {
            return await store.FindAsync(key, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException || store != local)
        {
            if (store == local)
                throw;
            StoreDown(store, e, log);
            return null;
        }
    }

    private async Task SaveTo(ICacheStore store, CacheEntry entry, Func<CachedFile, Stream> open, IOutputSink log)
    {
        try
        {
            await store.SaveAsync(entry, open, CancellationToken.None);
            log.Write(LogLevel.Debug, $"cache: saved {entry.Unit} as {entry.Key[..12]} to {store.Name}");
        }
        catch (Exception e) when (store != local)
        {
            StoreDown(store, e, log);
        }
        catch (IOException e)
        {
            log.Annotate(
                LogLevel.Warning,
                $"cache: could not save {entry.Unit} to {local.Directory}: {e.Message}",
                null,
                null
            );
        }
    }

    /// <summary>One warning per run; the store is not asked again, so an outage costs one deadline, not one per
    /// target.</summary>
    private void StoreDown(ICacheStore store, Exception e, IOutputSink log)
    {
        if (Interlocked.Exchange(ref _sharedDown, 1) == 0)
        {
            log.Annotate(
                LogLevel.Warning,
                $"cache: {store.Name} is not usable ({e.Message.Split('\n')[0]}); "
                    + $"continuing without it (misses are run)",
                null,
                null
            );
        }

        log.Write(LogLevel.Debug, e.ToString());
    }

    /// <summary>Why an entry cannot be trusted for <paramref name="key"/>, or null.</summary>
    private static string? Problem(CacheEntry entry, string key)
    {
        if (entry.Key != key)
            return $"it is filed under {key[..12]} but says {entry.Key[..Math.Min(12, entry.Key.Length)]}";
        try
        {
            if (CacheRecord.FromJson(entry.Record).Key != key)
                return "its record does not hash to its key";
        }
        catch (System.Text.Json.JsonException)
        {
            return "its record is not readable";
        }

        var unsafePath = entry.Files.FirstOrDefault(f =>
            Path.IsPathRooted(f.Path) || f.Path.Split('/', '\\').Contains("..") || f.Path.Length == 0
        );
        return unsafePath is null ? null : $"file path '{unsafePath.Path}' leaves the root";
    }

    /// <summary>Copies every file of the entry into <paramref name="staging"/>, checking each digest; the reason for a
    /// mismatch, or null.</summary>
    private static async Task<string?> StageAsync(ICacheStore store, CacheEntry entry, string staging, IOutputSink log)
    {
        foreach (var file in entry.Files)
        {
            try
            {
                await using var source = await store.OpenFileAsync(entry, file, CancellationToken.None);
                await using var target = File.Create(Path.Combine(staging, Staged(file)));
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[81920];
                int read;
                while ((read = await source.ReadAsync(buffer)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await target.WriteAsync(buffer.AsMemory(0, read));
                }

                var actual = "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
                if (actual != file.Digest)
                    return $"{file.Path} has digest {actual[7..19]}, the entry "
                        + $"says {file.Digest[7..Math.Min(19, file.Digest.Length)]}";
            }
            catch (Exception e)
                when (e
                        is IOException
                            or InvalidOperationException
                            or HttpRequestException
                            or UnauthorizedAccessException
                )
            {
                log.Write(LogLevel.Debug, e.ToString());
                return $"{file.Path} could not be read: {e.Message.Split('\n')[0]}";
            }
        }

        return null;
    }

    private static string Staged(CachedFile file) => file.Digest.Replace(':', '-');

    /// <summary>Keeps the record of the latest hit (or save) per unit in this clone, for <c>--why-miss</c>.</summary>
    private void Remember(CacheRecord record)
    {
        var path = RecordPath(record.Unit);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, record.ToJson());
    }

    private string RecordPath(string unit) =>
        Records / (string.Concat(unit.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' ? c : '_')) + ".json");

    private string ParameterValue(string member)
    {
        var resolved = parameters.Find(member);
        if (resolved is null)
            return "unset";
        if (resolved.IsSecret)
            return resolved.Value is null or "" ? "absent" : "present"; // a secret never enters a key
        return resolved.Value switch
        {
            null => "unset",
            string s => s,
            System.Collections.IEnumerable many => string.Join(
                ",",
                many.Cast<object?>().Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))
            ),
            var other => Convert.ToString(other, CultureInfo.InvariantCulture) ?? "",
        };
    }

    private static bool IsSecretName(string name) => SecretWords.Any(name.ToUpperInvariant().Contains);
}
