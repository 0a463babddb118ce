using System.Text.Json.Serialization;

namespace Pipeline.Components.Services;

/// <summary>
/// Which services this run builds and pushes, and why (<see cref="IServices.ServicePlan"/>, persisted to
/// <c>artifacts/results/AffectedServices.ServicePlan.json</c>). <see cref="Basis"/> says how they were chosen
/// (<c>--services</c>, <c>--all-services</c>, changes against <see cref="Base"/>, or all for want of a base);
/// <see cref="Unaffected"/> are the services left alone.
/// </summary>
public sealed record ServicePlan(
    string Basis,
    string? Base,
    IReadOnlyList<AffectedService> Affected,
    IReadOnlyList<string> Unaffected
)
{
    [JsonIgnore]
    public IReadOnlyList<string> Names => Affected.Select(a => a.Name).ToList();

    public bool Includes(string service) => Affected.Any(a => a.Name == service);

    /// <summary>
    /// This plan kept to <paramref name="named"/> (a matrix leg's <c>--services</c>): those it lists keep their reason,
    /// a named one it left alone is added "named by --services"; unchanged when it already is exactly that selection.
    /// </summary>
    public ServicePlan Narrowed(IReadOnlyCollection<string> named)
    {
        var wanted = named.Select(n => n.Trim()).Where(n => n.Length > 0).ToHashSet(StringComparer.Ordinal);
        if (wanted.SetEquals(Names))
            return this;
        var known = Names.Concat(Unaffected).ToList();
        if (wanted.FirstOrDefault(n => !known.Contains(n)) is { } unknown)
        {
            throw new Pipeline.Engine.Execution.BuildFailure(
                $"--services names '{unknown}', which is not a service of the "
                    + $"restored AffectedServices plan ({string.Join(", ", known)})"
            );
        }

        var kept = Affected
            .Where(a => wanted.Contains(a.Name))
            .Concat(
                wanted
                    .Where(n => !Includes(n))
                    .Order(StringComparer.Ordinal)
                    .Select(n => new AffectedService(n, "named by --services", []))
            )
            .ToList();
        return this with
        {
            Basis = $"{Basis}, narrowed by --services",
            Affected = kept,
            Unaffected =
            [
                .. Unaffected.Where(u => !wanted.Contains(u)),
                .. Affected.Where(a => !wanted.Contains(a.Name)).Select(a => a.Name),
            ],
        };
    }
}

/// <summary>A service this run works on: why, and the changed paths among its inputs (empty when chosen by name or for
/// want of a base).</summary>
public sealed record AffectedService(string Name, string Reason, IReadOnlyList<string> ChangedPaths);
