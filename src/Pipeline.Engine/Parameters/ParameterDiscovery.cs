using System.Reflection;
using Pipeline.Engine.Execution;

namespace Pipeline.Engine.Parameters;

/// <summary>
/// Finds <see cref="ParameterAttribute"/> members on the build class, its bases and its component interfaces. One
/// option has one identity: members that map to the same name or key must agree on type, description and secrecy (they
/// are then one parameter), else the build refuses to start naming both, instead of silently keeping whichever sorts
/// first.
/// </summary>
internal static class ParameterDiscovery
{
    private const BindingFlags Members =
        BindingFlags.Instance
        | BindingFlags.Static
        | BindingFlags.Public
        | BindingFlags.NonPublic
        | BindingFlags.DeclaredOnly;

    public static IReadOnlyList<ParameterDefinition> Discover(Type buildType)
    {
        var found = new List<ParameterDefinition>();
        var conflicts = new List<BuildFailure>();
        var types = new List<Type>();
        for (var type = buildType; type is not null && type != typeof(object); type = type.BaseType)
            types.Add(type);
        types.AddRange(buildType.GetInterfaces().OrderBy(i => i.FullName, StringComparer.Ordinal));
        // Only fields and properties can be parameters, in the order GetMembers lists them (properties, then fields):
        // asking for every member made the runtime build and read every method of every component as well.
        foreach (var member in types.SelectMany(t => t.GetProperties(Members).Concat<MemberInfo>(t.GetFields(Members))))
        {
            if (member.GetCustomAttribute<ParameterAttribute>() is not { } attribute)
                continue;
            var valueType = member switch
            {
                FieldInfo field => field.FieldType,
                PropertyInfo property => property.PropertyType,
                _ => null,
            };
            if (valueType is null)
                continue;
            var definition = new ParameterDefinition(
                member,
                valueType,
                attribute,
                member.GetCustomAttribute<SecretAttribute>() is not null
            );
            var same = found.FirstOrDefault(d =>
                string.Equals(d.Name, definition.Name, StringComparison.OrdinalIgnoreCase)
                || string.Equals(d.Key, definition.Key, StringComparison.Ordinal)
            );
            if (same is null)
                found.Add(definition);
            else if (Difference(same, definition) is { } difference)
                conflicts.Add(Conflict(same, definition, difference));
        }

        if (conflicts.Count == 1)
            throw conflicts[0];
        if (conflicts.Count > 1)
            throw new BuildFailures(conflicts);
        return found;
    }

    private static string? Difference(ParameterDefinition a, ParameterDefinition b)
    {
        if (!string.Equals(a.Name, b.Name, StringComparison.Ordinal))
            return $"different names ({a.Name}, {b.Name}) for one key";
        if (!string.Equals(a.Key, b.Key, StringComparison.Ordinal))
            return $"different keys ({a.Key}, {b.Key})";
        if (a.ValueType != b.ValueType)
            return $"different types ({ValueConverter.Describe(a.ValueType)}, {ValueConverter.Describe(b.ValueType)})";
        if (a.IsSecret != b.IsSecret)
            return "one is [Secret], the other is not";
        if (!string.Equals(a.Description, b.Description, StringComparison.Ordinal))
            return $"different descriptions (\"{a.Description}\", \"{b.Description}\")";
        return null;
    }

    private static BuildFailure Conflict(ParameterDefinition a, ParameterDefinition b, string difference) =>
        new(
            $"Parameter {a.Option} ({a.Key}) is declared twice with {difference}: {a.DeclaredAt} and "
                + $"{b.DeclaredAt}; declare it once (a shared IHaz* component) or give one a distinct name"
        );
}
