using System.Reflection;

namespace Pipeline.Engine.Targets;

/// <summary>
/// Reads a component's own definition of a target even when the build class re-declares it: the interface's default
/// getter is called non-virtually (C# has no <c>base(ITest).Test</c>; a virtual call would reach the class's override
/// and recurse). This is how NUKE's <c>Inherit</c> works too.
/// </summary>
internal static class ComponentTarget
{
    public static unsafe Target Read(object build, MethodInfo getter)
    {
        if (getter.IsAbstract)
            throw new InvalidOperationException(
                $"{getter.DeclaringType?.Name}.{getter.Name[4..]} has no default definition to inherit"
            );
        if (getter.DeclaringType is not { IsInterface: true, IsGenericType: false } component)
            throw new InvalidOperationException(
                $"{getter.Name[4..]} can be inherited only from a non-generic component interface"
            );
        if (!component.IsInstanceOfType(build))
            throw new InvalidOperationException($"{build.GetType().Name} does not implement {component.Name}");
        // The getter's own code, called directly: a non-virtual call as IL's `call` makes it, without emitting a
        // method at every start (which loaded Reflection.Emit and JIT-compiled a stub per inherited target).
        var code = (delegate* managed<object, Target>)getter.MethodHandle.GetFunctionPointer();
        return code(build);
    }
}
