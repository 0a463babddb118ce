using System.Reflection;
using System.Reflection.Emit;

namespace Pipeline.Engine.Targets;

/// <summary>
/// Reads a component's own definition of a target even when the build class re-declares it: the interface's default
/// getter is called non-virtually (C# has no <c>base(ITest).Test</c>; a virtual call would reach the class's override
/// and recurse). This is how NUKE's <c>Inherit</c> works too.
/// </summary>
internal static class ComponentTarget
{
    public static Target Read(object build, MethodInfo getter)
    {
        if (getter.IsAbstract)
            throw new InvalidOperationException(
                $"{getter.DeclaringType?.Name}.{getter.Name[4..]} has no default definition to inherit"
            );
        var method = new DynamicMethod(
            "Inherit_" + getter.Name,
            typeof(Target),
            [typeof(object)],
            typeof(ComponentTarget).Module,
            skipVisibility: true
        );
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Castclass, getter.DeclaringType!);
        il.Emit(OpCodes.Call, getter);
        il.Emit(OpCodes.Ret);
        return (Target)method.Invoke(null, [build])!;
    }
}
