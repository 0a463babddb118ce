using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Pipeline.Engine.Caching;

/// <summary>
/// Everything a cached result depends on, as sorted (kind, name, value) entries: files by content hash (relative
/// paths), parameters by identity (secrets only as present/absent), allowed environment values, tool versions,
/// upstream results. Canonical JSON of the entries, hashed with SHA-256, is the cache key; never an absolute path
/// or a timestamp, so two clones of one commit compute the same key.
/// </summary>
public sealed class CacheRecord
{
    private readonly SortedDictionary<string, string> _entries = new(StringComparer.Ordinal);

    public CacheRecord(string unit) => Unit = unit;

    /// <summary>What is cached: a target name, or a target's part (<c>Test/Pipeline.Engine.Tests</c>).</summary>
    public string Unit { get; }

    public IReadOnlyDictionary<string, string> Entries => _entries;

    public CacheRecord Add(string kind, string name, string value)
    {
        _entries[$"{kind}:{name}"] = value;
        return this;
    }

    public CacheRecord AddAll(CacheRecord other)
    {
        foreach (var (name, value) in other._entries)
            _entries[name] = value;
        return this;
    }

    /// <summary>SHA-256 over the canonical JSON of the unit and its entries, lower-case hex.</summary>
    public string Key => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToJson())));

    public string ToJson() =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["unit"] = Unit, ["entries"] = _entries });

    public static CacheRecord FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var record = new CacheRecord(document.RootElement.GetProperty("unit").GetString() ?? "");
        foreach (var entry in document.RootElement.GetProperty("entries").EnumerateObject())
            record._entries[entry.Name] = entry.Value.GetString() ?? "";
        return record;
    }

    /// <summary>Entries that differ from <paramref name="earlier"/>: changed, added, removed; values shortened for
    /// reading.</summary>
    public IReadOnlyList<string> DifferencesFrom(CacheRecord earlier)
    {
        var lines = new List<string>();
        foreach (var name in _entries.Keys.Union(earlier._entries.Keys).Order(StringComparer.Ordinal))
        {
            var now = _entries.GetValueOrDefault(name);
            var then = earlier._entries.GetValueOrDefault(name);
            if (now == then)
                continue;
            lines.Add(
                then is null ? $"+ {name} (new: {Short(now!)})"
                : now is null ? $"- {name} (gone, was {Short(then)})"
                : $"~ {name}: {Short(then)} -> {Short(now)}"
            );
        }

        return lines;
    }

    private static string Short(string value) => value.Length > 40 ? value[..12] + "…" : value;
}
