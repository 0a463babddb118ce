using Pipeline.Engine;

namespace Pipeline.Components.Services;

/// <summary>The service list and the selection switches, checked before anything runs: each problem one line naming its source.</summary>
internal static class ServicePreflight
{
    public static void Check(IServices build, PreflightChecks checks)
    {
        var catalog = ServiceCatalog.Read(build);
        foreach (var problem in catalog.Problems) checks.Fail(problem);
        if (build.AllServices && build.Services is { Length: > 0 })
            checks.Fail($"{checks.Describe(nameof(IServices.Services))} and {checks.Describe(nameof(IServices.AllServices))} contradict each other; give one");
        if (catalog.Problems.Count > 0) return;
        if (!build.HasServices)
        {
            checks.Fail($"{checks.Describe(nameof(IServices.Services))} / {checks.Describe(nameof(IServices.AllServices))}: this is a one-image repository ({ServiceCatalog.ConfigPath} has no SERVICE_NAMES)");
            return;
        }

        var known = catalog.Services.Select(s => s.Name).ToList();
        foreach (var name in build.Services ?? [])
        {
            if (!known.Contains(name, StringComparer.Ordinal))
                checks.Fail($"{checks.Describe(nameof(IServices.Services))}: '{name}' is not a service of {ServiceCatalog.ConfigPath} ({string.Join(", ", known)})");
        }
    }
}
