namespace Pipeline.Engine.Parameters;

/// <summary>The resolved value of each parameter, with where it came from (for <c>--help</c> and error
/// messages).</summary>
public sealed class ParameterValues
{
    private readonly Dictionary<string, ResolvedParameter> _values = new(StringComparer.OrdinalIgnoreCase);

    public void Set(string member, ResolvedParameter value) => _values[member] = value;

    public bool TryGet<T>(string member, out T? value)
    {
        if (_values.TryGetValue(member, out var resolved) && resolved.Value is T typed)
        {
            value = typed;
            return true;
        }

        value = default;
        return false;
    }

    public ResolvedParameter? Find(string member) => _values.GetValueOrDefault(member);

    public IReadOnlyCollection<ResolvedParameter> All => _values.Values;

    private IReadOnlyList<ConfigKeyFamily> _families = [];
    private Func<string, RawValue?> _findKey = _ => null;
    private Func<string, IReadOnlyList<string>> _keysStartingWith = _ => [];
    private IReadOnlySet<string> _parameterKeys = new HashSet<string>();

    /// <summary>Where keys of the declared families are looked up: the same sources, in the same order, as
    /// parameters.</summary>
    internal void UseKeys(
        IReadOnlyList<ConfigKeyFamily> families,
        IReadOnlySet<string> parameterKeys,
        Func<string, RawValue?> findKey,
        Func<string, IReadOnlyList<string>> keysStartingWith
    )
    {
        _parameterKeys = parameterKeys;
        _families = families;
        _findKey = findKey;
        _keysStartingWith = keysStartingWith;
    }

    /// <summary>
    /// The keys of the family <paramref name="prefix"/> written in the configuration files (not parameters), each with
    /// its resolved value and source: for checks such as "this key names an environment that does not exist".
    /// </summary>
    public IReadOnlyList<ConfigSetting> FamilyKeys(string prefix)
    {
        var family =
            _families.FirstOrDefault(f => string.Equals(f.Prefix, prefix, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"{prefix} is no declared [ConfigKeyFamily] of this build", nameof(prefix));
        return _keysStartingWith(prefix)
            .Where(k => !_parameterKeys.Contains(k) && family.Accepts(k))
            .Select(FindKey)
            .OfType<ConfigSetting>()
            .ToList();
    }

    /// <summary>
    /// A key of a declared <see cref="ConfigKeyFamilyAttribute"/> with where its value came from; null when no source
    /// sets it. A key outside every declared family is a programming error (the strict check would call it unknown).
    /// </summary>
    public ConfigSetting? FindKey(string key)
    {
        if (!_families.Any(f => f.Accepts(key)))
            throw new ArgumentException($"{key} belongs to no declared [ConfigKeyFamily] of this build", nameof(key));
        return _findKey(key) is { } raw ? new ConfigSetting(key, raw.Values[0], raw.Source) : null;
    }
}
