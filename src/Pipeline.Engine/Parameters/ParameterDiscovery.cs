using System.Reflection;

namespace Pipeline.Engine;

/// <summary>Finds <see cref="ParameterAttribute"/> members on the build class, its bases and its component interfaces.</summary>
internal static class ParameterDiscovery
{
    private const BindingFlags Members = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    public static IReadOnlyList<ParameterDefinition> Discover(Type buildType)
    {
        var found = new List<ParameterDefinition>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var types = new List<Type>();
        for (var type = buildType; type is not null && type != typeof(object); type = type.BaseType) types.Add(type);
        types.AddRange(buildType.GetInterfaces().OrderBy(i => i.FullName, StringComparer.Ordinal));
        foreach (var member in types.SelectMany(t => t.GetMembers(Members)))
        {
            if (member.GetCustomAttribute<ParameterAttribute>() is not { } attribute) continue;
            var valueType = member switch
            {
                FieldInfo field => field.FieldType,
                PropertyInfo property => property.PropertyType,
                _ => null,
            };
            if (valueType is null) continue;
            var definition = new ParameterDefinition(member, valueType, attribute, member.GetCustomAttribute<SecretAttribute>() is not null);
            if (names.Add(definition.Name)) found.Add(definition);
        }

        return found;
    }
}
