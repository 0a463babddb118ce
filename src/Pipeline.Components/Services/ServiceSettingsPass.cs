using Pipeline.Deploy.Settings;
using Pipeline.Engine.Parameters;

namespace Pipeline.Components.Services;

/// <summary>
/// One pass over the <c>SERVICE_&lt;NAME&gt;_*</c> table (<see cref="ServiceKeys"/>) for one service: every row is read
/// and validated the same way, each problem one line naming where the value came from and the key; an absent key takes
/// the table's default, with <c>&lt;name&gt;</c> in it made the service's name.
/// </summary>
internal sealed class ServiceSettingsPass(
    string name,
    string listSource,
    Func<string, ConfigSetting?> lookup,
    List<string> problems
) : ISettingVisitor
{
    private readonly Dictionary<SettingKey, object?> _values = [];

    /// <summary><c>SERVICE_LANDING_PAGE_</c> for <c>landing-page</c>.</summary>
    public string Prefix { get; } = ServiceCatalog.Prefix(name);

    public ServiceSettingsPass Check(IEnumerable<SettingKey> table)
    {
        foreach (var key in table)
            key.Accept(this);
        return this;
    }

    public void Visit<T>(SettingKey<T> key)
    {
        var raw = Raw(key);
        if (raw is null)
        {
            if (key.Required)
                problems.Add($"{listSource}: {Prefix}{key.Name}: {Named(key.NotSet)}");
            _values[key] = key.Default is string text ? Named(text) : key.Default;
            return;
        }

        var found = key.Check(raw.Value, out var value);
        foreach (var problem in found)
            problems.Add($"{raw.Source}: {Prefix}{key.Name}: {Named(problem)}");
        _values[key] = value;
    }

    /// <summary>The value, or the table's default when absent or not valid.</summary>
    public T Value<T>(SettingKey<T> key) => (T)_values[key]!;

    /// <summary>The key's text and source; null when absent or empty.</summary>
    public ConfigSetting? Raw(SettingKey key) =>
        lookup(Prefix + key.Name) is { Value.Length: > 0 } found ? found : null;

    private string Named(string text) => text.Replace(ServiceKeys.ServiceName, name, StringComparison.Ordinal);
}
