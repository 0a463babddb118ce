using System.Text.Json;

namespace Pipeline.Registry.Failover;

/// <summary>
/// Fallback records on disk: <c>pending/</c> until Reconcile delivers the image, then <c>reconciled/</c>.
/// The ledger lives beside the local registry's data, in the per-user state folder outside the checkout
/// (<c>~/.local/state/pipeline/&lt;repository&gt;/registry/ledger</c>), so it survives between jobs on the same
/// machine; each record is also copied where CI uploads artifacts.
/// </summary>
public sealed class FallbackLedger(string directory, string? mirrorDirectory = null)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string Directory { get; } = Path.GetFullPath(directory);

    public string PendingDirectory => Path.Combine(Directory, "pending");

    public string ReconciledDirectory => Path.Combine(Directory, "reconciled");

    /// <summary>Writes the record; returns its path.</summary>
    public string Add(FallbackRecord record)
    {
        System.IO.Directory.CreateDirectory(PendingDirectory);
        var path = Path.Combine(PendingDirectory, record.Id + ".json");
        var json = JsonSerializer.Serialize(record, Json);
        File.WriteAllText(path + ".partial", json);
        File.Move(path + ".partial", path, overwrite: true);
        if (mirrorDirectory is not null)
        {
            System.IO.Directory.CreateDirectory(mirrorDirectory);
            File.WriteAllText(Path.Combine(mirrorDirectory, record.Id + ".json"), json);
        }

        return path;
    }

    public IReadOnlyList<FallbackRecord> Pending()
    {
        if (!System.IO.Directory.Exists(PendingDirectory))
            return [];
        return System
            .IO.Directory.EnumerateFiles(PendingDirectory, "*.json")
            .Select(Read)
            .OrderBy(r => r.CreatedAt)
            .ToArray();
    }

    public void MarkReconciled(FallbackRecord record)
    {
        System.IO.Directory.CreateDirectory(ReconciledDirectory);
        var from = Path.Combine(PendingDirectory, record.Id + ".json");
        if (File.Exists(from))
            File.Move(from, Path.Combine(ReconciledDirectory, record.Id + ".json"), overwrite: true);
    }

    private static FallbackRecord Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<FallbackRecord>(File.ReadAllText(path))
                ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new RegistryException($"fallback record {path} is not valid ({e.Message}); fix or delete it");
        }
    }
}
