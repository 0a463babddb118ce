using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Engine.Paths;

namespace Pipeline.Engine.Report;

/// <summary>One run as the report history keeps it: when, how long, whether it passed, each target's duration, each
/// section's figures.</summary>
internal sealed record ReportRun(
    DateTimeOffset Start,
    double Seconds,
    bool Succeeded,
    Dictionary<string, double> Targets,
    Dictionary<string, Dictionary<string, double>> Figures
);

/// <summary>
/// The runs of this repository on this machine, one JSON line each in the state folder (<c>report-history.jsonl</c>):
/// the previous run's section figures (for deltas) and the last runs' target durations (the history section). Kept
/// short: past <see cref="Keep"/> lines the file is rewritten with the newest half. A line that cannot be read is
/// passed over.
/// </summary>
internal sealed class ReportHistory(AbsolutePath file)
{
    public const int Keep = 200;

    public AbsolutePath File => file;

    /// <summary>The newest <paramref name="count"/> runs, oldest first.</summary>
    public IReadOnlyList<ReportRun> Last(int count)
    {
        if (!file.Exists)
            return [];
        var runs = new List<ReportRun>();
        foreach (var line in System.IO.File.ReadLines(file).Reverse())
        {
            if (runs.Count == count)
                break;
            try
            {
                if (JsonSerializer.Deserialize(line, ReportHistoryJson.Default.ReportRun) is { } run)
                    runs.Add(run);
            }
            catch (JsonException)
            {
                // A line cut short by a killed run: the others still count.
            }
        }

        runs.Reverse();
        return runs;
    }

    public void Append(ReportRun run)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        System.IO.File.AppendAllText(file, JsonSerializer.Serialize(run, ReportHistoryJson.Default.ReportRun) + "\n");
        var lines = System.IO.File.ReadAllLines(file);
        if (lines.Length > Keep)
            System.IO.File.WriteAllLines(file, lines[^(Keep / 2)..]);
    }
}

/// <summary>Source-generated (de)serialization of the history lines: reflection-based JSON costs tens of milliseconds
/// of start-up per run.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ReportRun))]
internal sealed partial class ReportHistoryJson : JsonSerializerContext;
