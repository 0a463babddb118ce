using System.Text.Json;

namespace Pipeline.Deploy.Ledger;

/// <summary>
/// The JSON-lines history of one environment (<c>&lt;state&gt;/deploys/&lt;environment&gt;.jsonl</c>), kept with the
/// environment's state outside any checkout. Appends are whole lines, so a reader never sees half a record.
/// </summary>
public sealed class DeployLedger(string directory, Action<string>? warn = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Services of one environment deploy side by side and share its file: one append at a time.
    private static readonly SemaphoreSlim Appending = new(1, 1);

    public string PathFor(string environment) => Path.Combine(directory, $"{environment}.jsonl");

    public async Task AppendAsync(DeployRecord record, CancellationToken ct = default)
    {
        Directory.CreateDirectory(directory);
        await Appending.WaitAsync(ct);
        try
        {
            var path = PathFor(record.Environment);
            // A line cut off by a killed writer stays as it is (the reader reports it); the new record starts on its
            // own line.
            var cut = EndsCut(path);
            if (cut)
                warn?.Invoke(
                    $"{path}: its last line is cut off (a run was killed while "
                        + $"writing it); left as it is, new records start on a new line"
                );
            await File.AppendAllTextAsync(path, (cut ? "\n" : "") + JsonSerializer.Serialize(record, Json) + "\n", ct);
            // Only the attempt's own line ends its note: an unlock or repair line written before the next run's repair
            // must leave a killed attempt's note for that repair to find.
            if (IsNoteOf(record))
                File.Delete(InFlightPath(record.Environment, record.Service));
        }
        finally
        {
            Appending.Release();
        }
    }

    /// <summary>
    /// Notes a rollout that has started (its record so far) until its ledger line is written: a run killed in between
    /// (SIGKILL, power) leaves it, and the next run of the environment records that attempt as interrupted.
    /// </summary>
    public async Task BeginAsync(DeployRecord started, CancellationToken ct = default)
    {
        var path = InFlightPath(started.Environment, started.Service);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(started, Json), ct);
    }

    /// <summary>The record of an attempt that started and never wrote its line (its process died), removed from
    /// in-flight; null when none.</summary>
    public DeployRecord? TakeInFlight(string environment, string service)
    {
        var path = InFlightPath(environment, service);
        if (!File.Exists(path))
            return null;
        DeployRecord? record = null;
        try
        {
            record = JsonSerializer.Deserialize<DeployRecord>(File.ReadAllText(path), Json);
        }
        catch (JsonException)
        {
            warn?.Invoke($"{path}: an unfinished attempt's note that does not parse; removed");
        }

        File.Delete(path);
        return record;
    }

    private bool IsNoteOf(DeployRecord record)
    {
        var path = InFlightPath(record.Environment, record.Service);
        if (!File.Exists(path))
            return false;
        try
        {
            return JsonSerializer.Deserialize<DeployRecord>(File.ReadAllText(path), Json) is not { } note
                || (note.StartedAt == record.StartedAt && note.Action == record.Action && note.Digest == record.Digest);
        }
        catch (JsonException)
        {
            return false; // reported and removed by the next repair (TakeInFlight)
        }
    }

    private string InFlightPath(string environment, string service) =>
        Path.Combine(directory, $"{environment}.in-flight", $"{(service.Length == 0 ? "_" : service)}.json");

    private static bool EndsCut(string path)
    {
        if (!File.Exists(path))
            return false;
        using var file = File.OpenRead(path);
        if (file.Length == 0)
            return false;
        file.Seek(-1, SeekOrigin.End);
        return file.ReadByte() != '\n';
    }

    /// <summary>Records of one environment (or all), oldest first; unreadable lines are reported, not fatal.</summary>
    public IReadOnlyList<DeployRecord> Read(string? environment, Action<string>? report = null)
    {
        report ??= warn;
        if (!Directory.Exists(directory))
            return [];
        var files = environment is null ? Directory.GetFiles(directory, "*.jsonl") : [PathFor(environment)];
        var records = new List<DeployRecord>();
        foreach (var file in files.Where(File.Exists))
        {
            var number = 0;
            foreach (var line in File.ReadLines(file))
            {
                number++;
                if (line.Length == 0)
                    continue;
                try
                {
                    if (JsonSerializer.Deserialize<DeployRecord>(line, Json) is { } record)
                        records.Add(record);
                }
                catch (JsonException)
                {
                    report?.Invoke($"{file}:{number}: not a deploy record (cut off or edited), skipped");
                }
            }
        }

        return records.OrderBy(r => r.StartedAt).ToList();
    }
}
