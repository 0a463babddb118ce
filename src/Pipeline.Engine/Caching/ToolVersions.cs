using System.Collections.Concurrent;
using System.Text.Json;
using Pipeline.Engine.Paths;
using Pipeline.Engine.Processes;

namespace Pipeline.Engine.Caching;

/// <summary>
/// The first line of <c>tool --version</c>, for cache keys. Starting a tool costs tens of milliseconds, so answers are
/// remembered in the cache folder per binary (path, size, modification time) and per global.json (which picks the SDK);
/// those facts only decide when to ask again, the key holds the version itself.
/// </summary>
internal sealed class ToolVersions(string memoFile, AbsolutePath root)
{
    // Read at the first question, not when the run starts: most runs ask none, and reading it loads System.Text.Json.
    private readonly Lazy<ConcurrentDictionary<string, string>> _memo = new(() => Load(memoFile));
    private readonly Lock _saveGate = new();

    /// <param name="deadline">How long <c>--version</c> may take (30 s for cache keys; the run report allows
    /// less).</param>
    public async Task<string> VersionAsync(string tool, TimeSpan? deadline = null)
    {
        var binary = FindOnPath(tool);
        if (binary is null)
            return "absent";
        var info = new FileInfo(binary);
        var globalJson = root / "global.json";
        var identity =
            $"{binary}|{info.Length}|{info.LastWriteTimeUtc.Ticks}|"
            + $"{(File.Exists(globalJson) ? InputFiles.Hash(globalJson) : "")}";
        if (_memo.Value.TryGetValue(identity, out var known))
            return known;

        var result = await Tool.RunAsync(
            binary,
            ["--version"],
            new ToolOptions
            {
                WorkingDirectory = root,
                AllowFailure = true,
                Echo = false,
                Timeout = deadline ?? TimeSpan.FromSeconds(30),
            }
        );
        var version =
            (result.StandardOutput + result.StandardError)
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .FirstOrDefault()
            ?? $"exit {result.ExitCode}";
        _memo.Value[identity] = version;
        Save();
        return version;
    }

    private static string? FindOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);

    private static ConcurrentDictionary<string, string> Load(string file)
    {
        try
        {
            return File.Exists(file)
                ? new(JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(file)) ?? [])
                : new();
        }
        catch (JsonException)
        {
            return new(); // a damaged memo only costs asking again
        }
    }

    private void Save()
    {
        lock (_saveGate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(memoFile)!);
            var temporary = memoFile + "." + Environment.ProcessId + ".partial";
            File.WriteAllText(temporary, JsonSerializer.Serialize(_memo.Value));
            File.Move(temporary, memoFile, overwrite: true);
        }
    }
}
