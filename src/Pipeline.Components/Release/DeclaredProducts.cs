using System.Reflection;
using Pipeline.Engine;
using Pipeline.Engine.Targets;

namespace Pipeline.Components.Release;

/// <summary>
/// What the build's targets declare with <c>.Produces(...)</c>: each target's definition is read through
/// <see cref="TargetShape"/> (nothing executes). This reads any build through the public target API.
/// </summary>
internal static class DeclaredProducts
{
    public static IReadOnlyList<(string Target, string Pattern)> Of(IPipelineBuild build)
    {
        var found = new List<(string, string)>();
        var types = new[] { build.GetType() }.Concat(build.GetType().GetInterfaces());
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (
            var property in types.SelectMany(t =>
                t.GetProperties(
                    BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly
                )
            )
        )
        {
            if (
                property.PropertyType != typeof(Target)
                || property.GetIndexParameters().Length > 0
                || !seen.Add(property.Name)
            )
                continue;
            if (property.GetValue(build) is not Target target)
                continue;
            IReadOnlyList<string> products;
            try
            {
                products = TargetShape.Of(target, build).Produces;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A definition that cannot be read outside the engine declares nothing we can see.
                continue;
            }

            found.AddRange(products.Select(p => (property.Name, p)));
        }

        return found;
    }
}
