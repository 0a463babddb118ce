using Pipeline.Deploy.Settings;

namespace Pipeline.Deploy.Environments;

/// <summary>
/// One pass over the <c>DEPLOY_&lt;ENV&gt;_*</c> table (<see cref="DeployEnvironmentKeys"/>) for one environment: every
/// row is read and validated the same way, each problem one line naming the key and where its value came from; an
/// absent key takes the table's default. In a many-service repository a per-service key holds one <c>name=value</c>
/// entry per service.
/// </summary>
internal sealed class DeploySettingsPass(
    string prefix,
    Func<string, DeploySetting?> lookup,
    IReadOnlyList<DeployService> services
) : ISettingVisitor
{
    private readonly Dictionary<SettingKey, object?> _values = [];

    public List<string> Problems { get; } = [];

    /// <summary>Reads and validates every row of <paramref name="table"/>.</summary>
    public DeploySettingsPass Check(IEnumerable<SettingKey> table)
    {
        foreach (var key in table)
            key.Accept(this);
        return this;
    }

    public void Visit<T>(SettingKey<T> key)
    {
        var raw = Raw(key);
        if (PerService(key))
            _values[key] = Entries(key, raw);
        else if (raw is null)
        {
            if (key.Required)
                Problem(key, null, NotSet(key));
            _values[key] = key.Default;
        }
        else
        {
            var found = key.Check(raw.Value, out var value);
            foreach (var problem in found)
                Problem(key, raw, problem);
            _values[key] = value;
        }
    }

    /// <summary>The value (or the default) of a key read once for the environment.</summary>
    public T Value<T>(SettingKey<T> key) => (T)_values[key]!;

    /// <summary>A per-service key's entries by service; null when absent or when any entry is wrong.</summary>
    public IReadOnlyDictionary<string, T>? Entries<T>(SettingKey<T> key) =>
        _values.GetValueOrDefault(key) as IReadOnlyDictionary<string, T>;

    public string Key(SettingKey key) => prefix + key.Name;

    /// <summary>The key's text and source; null when absent or empty.</summary>
    public DeploySetting? Raw(SettingKey key) => lookup(Key(key)) is { Value.Length: > 0 } found ? found : null;

    public void Problem(SettingKey key, DeploySetting? value, string text) =>
        Problems.Add(value is null ? $"{Key(key)}: {text}" : $"{Key(key)} ({value.Source}): {text}");

    /// <summary>"not set; …" in the words of the repository's shape (one image, or one entry per service).</summary>
    public string NotSet(SettingKey key) =>
        services.Count > 0 && key.PerServiceDescription is { } each
            ? $"not set; {each}, e.g. {PerServiceExample(key)}"
            : key.NotSet;

    // "api=18081,18082 web=18083,18084" for the first two services.
    private string PerServiceExample(SettingKey key) =>
        string.Join(' ', services.Take(2).Select((s, i) => $"{s.Name}={key.PerServiceExample?.Invoke(i)}"));

    private bool PerService(SettingKey key) => key.Scope == SettingScope.EnvironmentPerService && services.Count > 0;

    // "api=… web=…": at most one valid entry per service of SERVICE_NAMES.
    private Dictionary<string, T>? Entries<T>(SettingKey<T> key, DeploySetting? value)
    {
        if (value is null)
        {
            if (key.Required)
                Problem(key, null, NotSet(key));
            return null;
        }

        var entries = new Dictionary<string, T>(StringComparer.Ordinal);
        var named = new HashSet<string>(StringComparer.Ordinal);
        var before = Problems.Count;
        foreach (var entry in value.Value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = entry.IndexOf('=');
            var service = equals > 0 ? entry[..equals] : "";
            var text = entry[(equals + 1)..];
            if (equals <= 0)
                Problem(
                    key,
                    value,
                    $"'{entry}' is not service=value: a many-service repository gives each service its own, e.g. "
                        + PerServiceExample(key)
                );
            else if (services.All(s => s.Name != service))
                Problem(
                    key,
                    value,
                    $"'{service}' is not a service of SERVICE_NAMES ({string.Join(", ", services.Select(s => s.Name))})"
                );
            else if (!named.Add(service))
                Problem(key, value, $"service {service} is given twice");
            else if (key.Type.Parse(text) is (true, var parsed))
                entries[service] = parsed;
            else
                Problem(key, value, $"{service}: '{text}' is not {key.Type.Expected}"); // the per-entry words
        }

        return Problems.Count == before ? entries : null;
    }
}
