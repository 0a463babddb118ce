using Mono.Cecil;
using Mono.Cecil.Cil;
using Pipeline.Components.Shared;

namespace Pipeline.Components.Tests.Architecture;

/// <summary>
/// A component interface is a declaration (docs/components.md): parameters, results and target definitions, each
/// target ending in <c>.Executes(() =&gt; &lt;Name&gt;Target.RunAsync(this))</c>. What does the work — awaiting,
/// looping, catching — lives in the <c>*Target</c> class beside it. Read from the compiled interfaces, lambdas
/// included.
/// </summary>
public sealed class DeclarationOnlyComponentsTests
{
    [Fact]
    public void Component_interfaces_hold_no_awaits_loops_or_catches()
    {
        using var module = ModuleDefinition.ReadModule(typeof(IHazImage).Assembly.Location);
        var interfaces = module
            .Types.Where(t =>
                t.IsInterface && t.IsPublic && t.Namespace.StartsWith("Pipeline.Components.", StringComparison.Ordinal)
            )
            .ToList();
        Assert.True(
            interfaces.Count > 20,
            $"only {interfaces.Count} component interfaces found; the test would prove nothing"
        );

        var bodies = new List<string>();
        foreach (var component in interfaces)
        {
            foreach (var type in WithNested(component))
            {
                if (
                    type.Interfaces.Any(i =>
                        i.InterfaceType.FullName == "System.Runtime.CompilerServices.IAsyncStateMachine"
                    )
                )
                    bodies.Add($"{component.Name}: an async body ({type.Name}); move it to {Target(component)}");
                foreach (var method in type.Methods.Where(m => m.HasBody))
                {
                    if (method.Body.HasExceptionHandlers)
                        bodies.Add($"{component.Name}: try/catch in {method.Name}; move it to {Target(component)}");
                    if (method.Body.Instructions.Any(IsBackwardBranch))
                        bodies.Add($"{component.Name}: a loop in {method.Name}; move it to {Target(component)}");
                }
            }
        }

        Assert.True(bodies.Count == 0, "component interfaces with bodies:\n" + string.Join("\n", bodies.Distinct()));
    }

    private static IEnumerable<TypeDefinition> WithNested(TypeDefinition type) =>
        [type, .. type.NestedTypes.SelectMany(WithNested)];

    private static string Target(TypeDefinition component) => component.Name[1..] + "Target";

    private static bool IsBackwardBranch(Instruction instruction) =>
        instruction.Operand is Instruction target
        && instruction.OpCode.FlowControl is FlowControl.Branch or FlowControl.Cond_Branch
        && target.Offset < instruction.Offset;
}
