using System.Reflection;
using Pipeline.Engine.Execution;

namespace Pipeline.Engine.Targets;

/// <summary>
/// Finds every <see cref="Target"/> property on the build class and on the component interfaces it implements,
/// asks each for its definition, and resolves relations. Delegates are matched by their method, as NUKE does,
/// because a target property returns a new delegate instance on every access.
/// </summary>
internal static class TargetDiscovery
{
    private const BindingFlags Members = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    public static IReadOnlyList<BuildTarget> Discover(object build)
    {
        var targets = new List<BuildTarget>();
        var byMethod = new Dictionary<MethodInfo, BuildTarget>();
        var byName = new Dictionary<string, BuildTarget>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in TargetProperties(build.GetType()))
        {
            // Explicit implementations are named "Namespace.ITest.Test"; the target is "Test".
            var name = property.Name[(property.Name.LastIndexOf('.') + 1)..];
            if (byName.ContainsKey(name))
                continue;
            var target = (Target)property.GetValue(build)!;
            var definition = new TargetDefinition(build);
            target(definition);
            var node = new BuildTarget(name, property.DeclaringType!, definition, targets.Count, target.Method);
            targets.Add(node);
            byName[name] = node;
            byMethod.TryAdd(target.Method, node);
        }

        foreach (var node in targets)
        {
            var d = node.Definition;
            Resolve(build, node, d.Dependencies, node.DependsOn, byMethod, "depends on");
            Resolve(build, node, d.Afters, node.After, byMethod, "runs after");
            Resolve(build, node, d.Befores, node.Before, byMethod, "runs before");
            Resolve(build, node, d.Triggered, node.Triggers, byMethod, "triggers");
            Resolve(build, node, d.TriggeredByLinks, node.TriggeredBy, byMethod, "is triggered by");
        }

        return targets;
    }

    private static IEnumerable<PropertyInfo> TargetProperties(Type buildType)
    {
        for (var type = buildType; type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (var property in type.GetProperties(Members | BindingFlags.DeclaredOnly).Where(IsTarget))
                yield return property;
        }

        // Interfaces by name keep the order stable; the class's own targets came first and win on name clashes.
        foreach (var component in buildType.GetInterfaces().OrderBy(i => i.FullName, StringComparer.Ordinal))
        {
            foreach (var property in component.GetProperties(Members | BindingFlags.DeclaredOnly).Where(IsTarget))
                yield return property;
        }
    }

    private static bool IsTarget(PropertyInfo property) =>
        property.PropertyType == typeof(Target) && property.GetIndexParameters().Length == 0;

    private static void Resolve(
        object build,
        BuildTarget node,
        List<TargetLink> links,
        List<BuildTarget> into,
        Dictionary<MethodInfo, BuildTarget> byMethod,
        string relation
    )
    {
        foreach (var link in links)
        {
            var target = link.Resolve(build);
            if (target is null)
            {
                if (link.Optional)
                    continue;
                throw new BuildFailure(
                    $"Target '{node.Name}' {relation} a target of "
                        + $"{link.Display}, which the build class does not implement"
                );
            }

            if (!byMethod.TryGetValue(target.Method, out var other))
            {
                throw new BuildFailure(
                    $"Target '{node.Name}' {relation} a target that is "
                        + $"not a Target property of the build ({link.Display})"
                );
            }

            if (!into.Contains(other))
                into.Add(other);
        }
    }
}
