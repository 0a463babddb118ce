using System.Reflection;

namespace Pipeline.Engine.Parameters;

/// <summary>A parameter declared on the build class (a settable field or property) or on a component interface (a
/// get-only property).</summary>
internal sealed record ParameterDefinition(
    MemberInfo Member,
    Type ValueType,
    ParameterAttribute Attribute,
    bool IsSecret
)
{
    /// <summary>Set on the stand-in for a deprecated spelling (<see cref="ParameterAttribute.Deprecated"/>): the old
    /// name.</summary>
    public string? OldName { get; init; }

    public string Name => OldName ?? Member.Name[(Member.Name.LastIndexOf('.') + 1)..];

    public string Key =>
        OldName is null ? Attribute.Name ?? ParameterNames.ToUpperSnake(Name) : ParameterNames.ToUpperSnake(OldName);

    /// <summary>Where it is declared, for messages: <c>IPrune.PruneApply</c>.</summary>
    public string DeclaredAt => $"{Member.DeclaringType?.Name}.{Member.Name[(Member.Name.LastIndexOf('.') + 1)..]}";

    /// <summary>Stand-ins for the old spellings still accepted (each with a deprecation line).</summary>
    public IEnumerable<ParameterDefinition> OldSpellings =>
        Attribute.Deprecated.Select(old => this with { OldName = old });

    public string Option => "--" + ParameterNames.ToKebab(Name);

    /// <summary>Its value becomes a public name (<see cref="PublicNameAttribute"/>): it may not contain a
    /// secret.</summary>
    public bool IsPublicName => Member.IsDefined(typeof(PublicNameAttribute), inherit: true);

    public string Description => Attribute.Description;

    /// <summary>The declared range (<see cref="ParameterAttribute.Min"/>, <see cref="ParameterAttribute.Max"/>), or
    /// null.</summary>
    public (long Min, long Max)? Range =>
        Attribute.Min == long.MinValue && Attribute.Max == long.MaxValue ? null : (Attribute.Min, Attribute.Max);

    /// <summary>"1–3600 seconds" for <c>--help</c>, the schema and messages; null without a range.</summary>
    public string? RangeText =>
        Range is { } range
            ? $"{Bound(range.Min, long.MinValue)}–{Bound(range.Max, long.MaxValue)}"
                + (Attribute.Unit is null ? "" : " " + Attribute.Unit)
            : null;

    private static string Bound(long value, long open) =>
        value == open ? "…" : value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A converted value outside <see cref="Range"/>, as a number; null when it is inside (or not a whole
    /// number).</summary>
    public long? OutOfRange(object? value) =>
        Range is { } range
        && value is sbyte or byte or short or ushort or int or uint or long
        && Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) is var number
        && (number < range.Min || number > range.Max)
            ? number
            : null;

    /// <summary>Fields and settable properties of the build class receive their value; interface properties read it
    /// through <c>this.Get</c>.</summary>
    public bool IsInjected => Member is FieldInfo or PropertyInfo { CanWrite: true };

    public object? ReadCurrent(object build) =>
        Member switch
        {
            FieldInfo field => field.GetValue(build),
            PropertyInfo property => property.GetValue(build),
            _ => null,
        };

    public void Inject(object build, object? value)
    {
        switch (Member)
        {
            case FieldInfo field:
                field.SetValue(build, value);
                break;
            case PropertyInfo { CanWrite: true } property:
                property.SetValue(build, value);
                break;
        }
    }

    /// <summary>Where a user may set it, for messages about a missing value.</summary>
    public string WhereToSet =>
        $"pass {Option} <value>, set the environment variable {Key}, or add "
        + $"\"{Name}\" to .nuke/parameters.json or {Key}= to deploy/config.env";
}
