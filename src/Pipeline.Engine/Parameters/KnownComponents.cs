using System.Reflection;

namespace Pipeline.Engine.Parameters;

/// <summary>
/// The config keys of components the build could compose but does not: every interface with [Parameter] members or a
/// <see cref="ConfigKeyFamilyAttribute"/> in the assemblies the build references. A shared deploy/config.env may hold
/// their keys (this repository's does); they are a warning naming the component, never a typo error.
/// </summary>
internal sealed class KnownComponents
{
    private const BindingFlags Members =
        BindingFlags.Instance
        | BindingFlags.Static
        | BindingFlags.Public
        | BindingFlags.NonPublic
        | BindingFlags.DeclaredOnly;
    private readonly Dictionary<string, string> _keys = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly List<(ConfigKeyFamily Family, string Component)> _families = [];

    private KnownComponents() { }

    public static KnownComponents NotComposedBy(Type buildType)
    {
        var known = new KnownComponents();
        var composed = buildType.GetInterfaces().ToHashSet();
        foreach (var type in Candidates(buildType).Where(t => t.IsInterface && !composed.Contains(t)))
        {
            var name =
                type.Name.Length > 1 && type.Name[0] == 'I' && char.IsUpper(type.Name[1]) ? type.Name[1..] : type.Name;
            foreach (var member in type.GetMembers(Members))
            {
                if (member.MemberType is not (MemberTypes.Field or MemberTypes.Property))
                    continue;
                if (member.GetCustomAttribute<ParameterAttribute>() is not { } attribute)
                    continue;
                var key =
                    attribute.Name ?? ParameterNames.ToUpperSnake(member.Name[(member.Name.LastIndexOf('.') + 1)..]);
                known._keys.TryAdd(key, name);
                known._names.TryAdd(ParameterNames.Normalize(member.Name[(member.Name.LastIndexOf('.') + 1)..]), name);
                known._names.TryAdd(ParameterNames.Normalize(key), name);
            }

            foreach (var family in type.GetCustomAttributes<ConfigKeyFamilyAttribute>(inherit: false))
                known._families.Add((new ConfigKeyFamily(family), name));
        }

        return known;
    }

    /// <summary>The component a parameters.json property (a member name, in any spelling) belongs to, when the build
    /// does not compose it.</summary>
    public string? ComponentOfName(string normalized) => _names.GetValueOrDefault(normalized);

    /// <summary>The component a key belongs to, when the build does not compose it.</summary>
    public string? ComponentOf(string key) =>
        _keys.TryGetValue(key, out var component)
            ? component
            : _families.FirstOrDefault(f => f.Family.Accepts(key)).Component;

    private static IEnumerable<Type> Candidates(Type buildType)
    {
        var assemblies = new List<Assembly> { buildType.Assembly };
        foreach (var name in buildType.Assembly.GetReferencedAssemblies())
        {
            try
            {
                assemblies.Add(Assembly.Load(name));
            }
            catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
            {
                // not shipped with the build: it holds no component the build could use
            }
        }

        foreach (var assembly in assemblies.Distinct())
        {
            Type?[] types;
            try
            {
                types = assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException e)
            {
                types = e.Types;
            }

            foreach (var type in types)
            {
                if (type is not null)
                    yield return type;
            }
        }
    }
}
