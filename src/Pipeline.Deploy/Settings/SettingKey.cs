namespace Pipeline.Deploy.Settings;

/// <summary>
/// One row of a settings table: the key's name (after its family's prefix), its type, default, whether it is required,
/// its scope and a one-line description. Readers validate every row the same way; docs and tests list the rows.
/// </summary>
public abstract class SettingKey(string name, string description)
{
    /// <summary>The key after its family's prefix: <c>HOST</c> in <c>DEPLOY_STAGING_HOST</c>.</summary>
    public string Name { get; } = name;

    /// <summary>What the key means, in one line (also the "not set" line of a required key).</summary>
    public string Description { get; } = description;

    /// <summary>Absent or empty is a problem ("not set; " + <see cref="Description"/>).</summary>
    public bool Required { get; init; }

    public SettingScope Scope { get; init; } = SettingScope.Environment;

    /// <summary>A valid value, shown after the description when the key is missing ("e.g. 18081,18082").</summary>
    public string? Example { get; init; }

    /// <summary>What a bad value is told it is not, when the type's own words are too general.</summary>
    public string? Expected { get; init; }

    /// <summary><see cref="SettingScope.EnvironmentPerService"/>: what the key gives each service.</summary>
    public string? PerServiceDescription { get; init; }

    /// <summary><see cref="SettingScope.EnvironmentPerService"/>: a valid entry for the i-th service.</summary>
    public Func<int, string>? PerServiceExample { get; init; }

    /// <summary>The default as a reader of <c>deploy/config.env</c> writes it; null: no default.</summary>
    public abstract string? DefaultText { get; }

    /// <summary>Calls <paramref name="visitor"/> back with this row's value type.</summary>
    public abstract void Accept(ISettingVisitor visitor);

    /// <summary>"not set; the registry the environment pulls from: gar, ghcr or local".</summary>
    public string NotSet => $"not set; {Description}" + (Example is null ? "" : $", e.g. {Example}");
}

/// <summary>A row of a settings table whose value is a <typeparamref name="T"/>.</summary>
public sealed class SettingKey<T>(string name, string description, SettingType<T> type) : SettingKey(name, description)
{
    public SettingType<T> Type { get; } = type;

    private readonly T _default = default!;

    /// <summary>The value when the key is absent; without one, the type's zero (null for text).</summary>
    public T Default
    {
        get => _default;
        init
        {
            _default = value;
            HasDefault = true;
        }
    }

    public bool HasDefault { get; private init; }

    public override string? DefaultText => HasDefault ? Type.Format(Default) : null;

    public override void Accept(ISettingVisitor visitor) => visitor.Visit(this);

    /// <summary>
    /// The problems of a value, one line each without the key's name or source (none: valid); <paramref name="value"/>
    /// is the parsed value, or the default when it is not valid.
    /// </summary>
    public IReadOnlyList<string> Check(string text, out T value)
    {
        var (valid, parsed) = Type.Parse(text);
        value = valid ? parsed : Default;
        if (valid)
            return [];
        return Type.Problems?.Invoke(text).ToList() is { Count: > 0 } lines ? lines : [NotValid(text)];
    }

    /// <summary>"'150' is not a percentage of traffic, 0 (switch at once) to 100".</summary>
    public string NotValid(string text) => $"'{text}' is not {Expected ?? Type.Expected}";
}
