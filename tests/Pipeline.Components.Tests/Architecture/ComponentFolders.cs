using Mono.Cecil;
using Mono.Cecil.Cil;
using Pipeline.Components.Shared;

namespace Pipeline.Components.Tests.Architecture;

/// <summary>
/// Which folder of Pipeline.Components each compiled type references, read from the assembly (signatures, attributes
/// and method bodies, lambdas and state machines counted with the type that holds them). A folder is the namespace
/// <c>Pipeline.Components.&lt;Folder&gt;</c>, one per folder.
/// </summary>
internal static class ComponentFolders
{
    private const string Root = "Pipeline.Components.";

    /// <summary>For each folder, the other folders it references, each with one example (<c>Type → Type</c>) to name in
    /// a failure.</summary>
    public static IReadOnlyDictionary<string, Dictionary<string, string>> References { get; } = Read();

    private static Dictionary<string, Dictionary<string, string>> Read()
    {
        using var module = ModuleDefinition.ReadModule(typeof(IHazImage).Assembly.Location);
        var graph = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var type in module.GetTypes())
        {
            var owner = Outermost(type);
            if (Folder(owner.Namespace) is not { } from)
                continue;
            var edges = graph.TryGetValue(from, out var found) ? found : graph[from] = new(StringComparer.Ordinal);
            foreach (var referenced in Referenced(type))
            {
                if (referenced.Module != module)
                    continue;
                var target = Outermost(referenced);
                if (Folder(target.Namespace) is { } to && to != from)
                    edges.TryAdd(to, $"{owner.Name} → {target.Name}");
            }
        }

        return graph;
    }

    private static string? Folder(string ns) =>
        ns.StartsWith(Root, StringComparison.Ordinal) ? ns[Root.Length..].Split('.')[0] : null;

    private static TypeReference Outermost(TypeReference type)
    {
        while (type.DeclaringType is not null)
            type = type.DeclaringType;
        return type;
    }

    private static IEnumerable<TypeReference> Referenced(TypeDefinition type)
    {
        var found = new List<TypeReference>();
        if (type.BaseType is not null)
            found.Add(type.BaseType);
        found.AddRange(type.Interfaces.Select(i => i.InterfaceType));
        found.AddRange(Attributes(type));
        foreach (var field in type.Fields)
        {
            found.Add(field.FieldType);
            found.AddRange(Attributes(field));
        }

        foreach (var property in type.Properties)
        {
            found.Add(property.PropertyType);
            found.AddRange(Attributes(property));
        }

        foreach (var method in type.Methods)
        {
            found.AddRange(Signature(method));
            found.AddRange(Attributes(method));
            found.AddRange(method.Overrides.Select(o => o.DeclaringType));
            if (!method.HasBody)
                continue;
            found.AddRange(method.Body.Variables.Select(v => v.VariableType));
            foreach (var instruction in method.Body.Instructions)
                found.AddRange(Operand(instruction));
        }

        return found.SelectMany(Expand);
    }

    private static IEnumerable<TypeReference> Operand(Instruction instruction) =>
        instruction.Operand switch
        {
            TypeReference type => [type],
            MethodReference method =>
            [
                method.DeclaringType,
                .. Signature(method),
                .. method is GenericInstanceMethod g ? g.GenericArguments : [],
            ],
            FieldReference field => [field.DeclaringType, field.FieldType],
            _ => [],
        };

    private static IEnumerable<TypeReference> Signature(MethodReference method) =>
        [method.ReturnType, .. method.Parameters.Select(p => p.ParameterType)];

    private static IEnumerable<TypeReference> Attributes(ICustomAttributeProvider provider) =>
        provider.CustomAttributes.SelectMany(a =>
            new[] { a.AttributeType }.Concat(
                a.ConstructorArguments.Concat(a.Properties.Select(p => p.Argument))
                    .Select(arg => arg.Value)
                    .OfType<TypeReference>()
            )
        );

    /// <summary>The types inside arrays, by-refs, pointers and generic instances
    /// (<c>IReadOnlyList&lt;BuiltImage&gt;</c> references BuiltImage).</summary>
    private static IEnumerable<TypeReference> Expand(TypeReference type)
    {
        switch (type)
        {
            case GenericInstanceType generic:
                yield return generic.ElementType;
                foreach (var argument in generic.GenericArguments.SelectMany(Expand))
                    yield return argument;
                break;
            case TypeSpecification specification:
                foreach (var element in Expand(specification.ElementType))
                    yield return element;
                break;
            case GenericParameter:
                break;
            default:
                yield return type;
                break;
        }
    }
}
