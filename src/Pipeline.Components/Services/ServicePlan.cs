using System.Text.Json.Serialization;

namespace Pipeline.Components.Services;

/// <summary>
/// Which services this run builds and pushes, and why (<see cref="IServices.ServicePlan"/>, persisted to
/// <c>artifacts/results/AffectedServices.ServicePlan.json</c>). <see cref="Basis"/> says how they were chosen
/// (<c>--services</c>, <c>--all-services</c>, changes against <see cref="Base"/>, or all for want of a base);
/// <see cref="Unaffected"/> are the services left alone.
/// </summary>
public sealed record ServicePlan(string Basis, string? Base, IReadOnlyList<AffectedService> Affected, IReadOnlyList<string> Unaffected)
{
    [JsonIgnore]
    public IReadOnlyList<string> Names => Affected.Select(a => a.Name).ToList();

    public bool Includes(string service) => Affected.Any(a => a.Name == service);
}

/// <summary>A service this run works on: why, and the changed paths among its inputs (empty when chosen by name or for want of a base).</summary>
public sealed record AffectedService(string Name, string Reason, IReadOnlyList<string> ChangedPaths);
