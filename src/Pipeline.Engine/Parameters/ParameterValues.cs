namespace Pipeline.Engine;

/// <summary>The resolved value of each parameter, with where it came from (for <c>--help</c> and error messages).</summary>
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
}
