using System.Reflection;
using Pipeline.Components.Shared;

namespace Pipeline.Components.Tests.Architecture;

/// <summary>
/// Digests travel between targets as <see cref="Pipeline.Registry.Digest"/>, validated once, not as strings: no public
/// record of the components (their typed results and what those hold) has a <c>…Digest</c> property of type string.
/// </summary>
public sealed class TypedDigestsTests
{
    [Fact]
    public void No_public_record_of_the_components_holds_a_digest_as_a_string()
    {
        var records = typeof(IHazImage)
            .Assembly.GetExportedTypes()
            .Where(t => t.GetMethod("<Clone>$") is not null)
            .ToList();
        Assert.True(records.Count > 10, $"only {records.Count} records found; the test would prove nothing");

        var strings = records
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            .Where(p => p.Name.EndsWith("Digest", StringComparison.Ordinal) && p.PropertyType == typeof(string))
            .Select(p => $"{p.DeclaringType!.Name}.{p.Name}")
            .ToList();
        Assert.True(strings.Count == 0, "digests as strings: " + string.Join(", ", strings));
    }
}
