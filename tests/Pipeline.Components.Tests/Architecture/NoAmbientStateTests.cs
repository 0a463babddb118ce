using Mono.Cecil;
using Pipeline.Components.Shared;

namespace Pipeline.Components.Tests.Architecture;

/// <summary>
/// Per-service values are passed down (an <c>ImageWork</c> record), never held where the code below reads them
/// implicitly: no field of the components' assembly is an <see cref="AsyncLocal{T}"/> or a <see
/// cref="ThreadLocal{T}"/>, and none is marked thread-static, so a parameter answers the same whichever service's loop
/// asks.
/// </summary>
public sealed class NoAmbientStateTests
{
    [Fact]
    public void No_field_holds_state_that_flows_with_the_call_stack()
    {
        using var module = ModuleDefinition.ReadModule(typeof(IHazImage).Assembly.Location);
        var fields = module.GetTypes().SelectMany(t => t.Fields).ToList();
        Assert.True(fields.Count > 20, $"only {fields.Count} fields read; the test would prove nothing");

        var ambient = fields
            .Where(f =>
                f.FieldType.GetElementType().FullName
                    is "System.Threading.AsyncLocal`1"
                        or "System.Threading.ThreadLocal`1"
                || f.CustomAttributes.Any(a => a.AttributeType.FullName == "System.ThreadStaticAttribute")
            )
            .Select(f => $"{f.DeclaringType.FullName}.{f.Name}")
            .ToList();
        Assert.True(ambient.Count == 0, "ambient state: " + string.Join(", ", ambient));
    }
}
