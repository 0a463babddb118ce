using System.Collections.Concurrent;

namespace Pipeline.Engine.Results;

/// <summary>The typed results set in one build run, by <see cref="ResultKey"/>. Safe for targets running in
/// parallel.</summary>
public sealed class ResultValues
{
    private readonly ConcurrentDictionary<string, object> _values = new(StringComparer.Ordinal);

    internal object? Get(string key) => _values.GetValueOrDefault(key);

    internal void Set(string key, object value) => _values[key] = value;
}
