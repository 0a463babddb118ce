using System.Reflection;

namespace Pipeline.Engine;

/// <summary>A parameter declared on the build class (a settable field or property) or on a component interface (a get-only property).</summary>
internal sealed record ParameterDefinition(MemberInfo Member, Type ValueType, ParameterAttribute Attribute, bool IsSecret)
{
    public string Name => Member.Name[(Member.Name.LastIndexOf('.') + 1)..];

    public string Key => Attribute.Name ?? ParameterNames.ToUpperSnake(Name);

    public string Option => "--" + ParameterNames.ToKebab(Name);

    public string Description => Attribute.Description;

    /// <summary>Fields and settable properties of the build class receive their value; interface properties read it through <c>this.Get</c>.</summary>
    public bool IsInjected => Member is FieldInfo or PropertyInfo { CanWrite: true };

    public object? ReadCurrent(object build) => Member switch
    {
        FieldInfo field => field.GetValue(build),
        PropertyInfo property => property.GetValue(build),
        _ => null,
    };

    public void Inject(object build, object? value)
    {
        switch (Member)
        {
            case FieldInfo field: field.SetValue(build, value); break;
            case PropertyInfo { CanWrite: true } property: property.SetValue(build, value); break;
        }
    }

    /// <summary>Where a user may set it, for messages about a missing value.</summary>
    public string WhereToSet => $"pass {Option} <value>, set the environment variable {Key}, or add \"{Name}\" to .nuke/parameters.json or {Key}= to deploy/config.env";
}
