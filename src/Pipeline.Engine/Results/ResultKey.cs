using System.Reflection;

namespace Pipeline.Engine.Results;

/// <summary>
/// The identity of a result: its declaring type and member
/// (<c>Pipeline.Components.Containers.IBuildImage.BuiltImage</c>), so two components may both name a member
/// <c>Summary</c> without sharing a value.
/// </summary>
internal static class ResultKey
{
    public static string Of(PropertyInfo member)
    {
        // Explicit implementations are named "Namespace.IX.Member"; the member is the part after the last dot.
        var name = member.Name[(member.Name.LastIndexOf('.') + 1)..];
        return $"{member.DeclaringType?.FullName}.{name}";
    }
}
