namespace Pipeline.Engine.Caching;

/// <summary>
/// The per-user cache folder: <c>entries/&lt;key&gt;.json</c> and content-addressed <c>blobs/sha256/&lt;hex&gt;</c> (a
/// file shared by many entries is kept once). A hit touches its entry, so <see cref="Prune"/> removes the least
/// recently used entries first, then blobs no entry names.
/// </summary>
public sealed class LocalCacheStore(string directory) : ICacheStore
{
    public string Directory { get; } = directory;

    public string Name => "local";

    private string Entries => Path.Combine(Directory, "entries");

    private string Blobs => Path.Combine(Directory, "blobs", "sha256");

    /// <summary>The folder used when none is given: <c>$PIPELINE_CACHE_DIR</c>, else <c>$XDG_CACHE_HOME/pipeline</c>,
    /// else <c>~/.cache/pipeline</c>.</summary>
    public static string DefaultDirectory(Func<string, string?> env) =>
        env("PIPELINE_CACHE_DIR") is { Length: > 0 } given
            ? Path.GetFullPath(given)
            : Path.Combine(
                env("XDG_CACHE_HOME") is { Length: > 0 } xdg
                    ? xdg
                    : Path.Combine(
                        System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile),
                        ".cache"
                    ),
                "pipeline"
            );

    public Task<CacheEntry?> FindAsync(string key, CancellationToken ct)
    {
        var path = EntryPath(key);
        if (!File.Exists(path))
            return Task.FromResult<CacheEntry?>(null);
        var entry = CacheEntry.FromJson(File.ReadAllBytes(path));
        if (entry is not null)
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow); // most recently used
        return Task.FromResult(entry);
    }

    public Task<Stream> OpenFileAsync(CacheEntry entry, CachedFile file, CancellationToken ct) =>
        Task.FromResult<Stream>(File.OpenRead(BlobPath(file.Digest)));

    public async Task SaveAsync(CacheEntry entry, Func<CachedFile, Stream> open, CancellationToken ct)
    {
        System.IO.Directory.CreateDirectory(Entries);
        System.IO.Directory.CreateDirectory(Blobs);
        foreach (var file in entry.Files)
        {
            var blob = BlobPath(file.Digest);
            if (File.Exists(blob))
                continue;
            var partial = blob + "." + Guid.NewGuid().ToString("N")[..8] + ".partial";
            await using (var source = open(file))
            await using (var target = File.Create(partial))
            {
                await source.CopyToAsync(target, ct);
            }

            File.Move(partial, blob, overwrite: true);
        }

        // The entry last: a reader never finds an entry whose files are not all there.
        var entryPath = EntryPath(entry.Key);
        var temporary = entryPath + ".partial";
        await File.WriteAllBytesAsync(temporary, entry.ToJson(), ct);
        File.Move(temporary, entryPath, overwrite: true);
    }

    /// <summary>Removes least recently used entries until the folder holds at most <paramref name="maxBytes"/>; returns
    /// what was freed.</summary>
    public (int Entries, long Bytes) Prune(long maxBytes, bool dryRun = false)
    {
        if (!System.IO.Directory.Exists(Entries))
            return (0, 0);
        var entries = new DirectoryInfo(Entries)
            .GetFiles("*.json")
            .Select(f => (Info: f, Length: f.Length, Entry: CacheEntry.FromJson(File.ReadAllBytes(f.FullName))))
            .OrderBy(e => e.Info.LastWriteTimeUtc)
            .ToList();
        var blobSizes = System.IO.Directory.Exists(Blobs)
            ? new DirectoryInfo(Blobs).GetFiles().ToDictionary(f => "sha256:" + f.Name, f => f.Length)
            : [];
        long Total() => entries.Sum(e => e.Length) + blobSizes.Values.Sum();

        var removed = 0;
        var before = Total();
        // A dry run walks the same list without deleting: entries and sizes are what --apply would free.
        while (entries.Count > 0 && Total() > maxBytes)
        {
            var oldest = entries[0];
            entries.RemoveAt(0);
            if (!dryRun)
                oldest.Info.Delete();
            removed++;
            var stillNamed = entries.SelectMany(e => e.Entry?.Files ?? []).Select(f => f.Digest).ToHashSet();
            foreach (
                var digest in (oldest.Entry?.Files ?? [])
                    .Select(f => f.Digest)
                    .Where(d => !stillNamed.Contains(d) && blobSizes.ContainsKey(d))
                    .ToList()
            )
            {
                if (!dryRun)
                    File.Delete(BlobPath(digest));
                blobSizes.Remove(digest);
            }
        }

        return (removed, before - Total());
    }

    private string EntryPath(string key) => Path.Combine(Entries, key + ".json");

    private string BlobPath(string digest) =>
        Path.Combine(Blobs, digest.StartsWith("sha256:", StringComparison.Ordinal) ? digest[7..] : digest);
}
