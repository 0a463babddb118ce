using System.Text.Json;

namespace Pipeline.Deploy.Ledger;

/// <summary>
/// The JSON-lines history of one environment (<c>&lt;state&gt;/deploys/&lt;environment&gt;.jsonl</c>), kept with the
/// environment's state outside any checkout. Appends are whole lines, so a reader never sees half a record.
/// </summary>
public sealed class DeployLedger(string directory)
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
            await File.AppendAllTextAsync(PathFor(record.Environment), JsonSerializer.Serialize(record, Json) + "\n", ct);
        }
        finally
        {
            Appending.Release();
        }
    }

    /// <summary>Records of one environment (or all), oldest first; unreadable lines are reported, not fatal.</summary>
    public IReadOnlyList<DeployRecord> Read(string? environment, Action<string>? warn = null)
    {
        if (!Directory.Exists(directory)) return [];
        var files = environment is null ? Directory.GetFiles(directory, "*.jsonl") : [PathFor(environment)];
        var records = new List<DeployRecord>();
        foreach (var file in files.Where(File.Exists))
        {
            var number = 0;
            foreach (var line in File.ReadLines(file))
            {
                number++;
                if (line.Length == 0) continue;
                try
                {
                    if (JsonSerializer.Deserialize<DeployRecord>(line, Json) is { } record) records.Add(record);
                }
                catch (JsonException)
                {
                    warn?.Invoke($"{file}:{number}: not a deploy record, skipped");
                }
            }
        }

        return records.OrderBy(r => r.StartedAt).ToList();
    }
}
