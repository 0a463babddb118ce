using Microsoft.Extensions.FileSystemGlobbing;
using Pipeline.Engine.Output;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Preflight;

namespace Pipeline.Components.Services;

/// <summary>The service list and the selection switches, checked before anything runs: each problem one line naming its
/// source.</summary>
internal static class ServicePreflight
{
    /// <summary>
    /// A SERVICE_&lt;NAME&gt;_INPUTS glob that matches no tracked file never makes its service affected: a warning
    /// naming the setting and the glob (not an error: the files may be about to be added).
    /// </summary>
    private static void WarnAboutInputsMatchingNothing(IServices build, IReadOnlyList<ServiceDefinition> services)
    {
        var declared = services
            .Select(s => (Service: s, Setting: build.ConfigKey(ServiceCatalog.Prefix(s.Name) + ServiceSettings.Inputs)))
            .Where(d => d.Setting is { Value.Length: > 0 })
            .ToList();
        if (declared.Count == 0)
            return;
        var tracked = new Pipeline.Git.GitRepository(build.RootDirectory, Log.Logger)
            .Cli.RunAsync(["ls-files", "-z"], check: false)
            .GetAwaiter()
            .GetResult();
        if (tracked.ExitCode != 0)
            return; // not a git work tree: nothing to compare with
        var files = tracked.StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        foreach (var (service, setting) in declared)
        {
            foreach (
                var glob in setting!.Value.Split(
                    ',',
                    StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries
                )
            )
            {
                var matcher = new Matcher(StringComparison.Ordinal).AddInclude(glob);
                if (!matcher.Match(files).HasMatches)
                    Log.Warn(
                        $"{setting.Source}: {setting.Key}: '{glob}' matches no tracked file, "
                            + $"so it never makes {service.Name} affected; fix the glob or remove it"
                    );
            }
        }
    }

    /// <summary>A --base-ref that names nothing stops the run before it starts (exit 2), not when AffectedServices
    /// runs.</summary>
    public static void CheckBaseRef(IServices build, PreflightChecks checks)
    {
        if (
            build.BaseRef is not { Length: > 0 } revision
            || build.AllServices
            || build.Services is { Length: > 0 }
            || !build.HasServices
        )
            return;
        var repository = new Pipeline.Git.GitRepository(build.RootDirectory, Log.Logger);
        // Preflight checks are synchronous; this one asks git (and origin, as the run would) once.
        if (ServiceChanges.ResolveBaseAsync(repository, revision).GetAwaiter().GetResult() is null)
            checks.Fail(
                ServiceChanges
                    .NoSuchBaseAsync(repository, revision)
                    .GetAwaiter()
                    .GetResult()
                    .Replace("--base-ref", checks.Describe(nameof(IServices.BaseRef)), StringComparison.Ordinal)
            );
    }

    public static void Check(IServices build, PreflightChecks checks)
    {
        var catalog = ServiceCatalog.Read(build);
        foreach (var problem in catalog.Problems)
            checks.Fail(problem);
        // An empty list given on purpose (SERVICES= in a file, --services "") is a mistake, never "all services".
        if (checks.IsSet(nameof(IServices.Services)) && build.Services is not { Length: > 0 })
            checks.Fail(
                $"{checks.Describe(nameof(IServices.Services))} is empty: name services "
                    + $"(a,b), or leave it out for the affected ones (--all-services for all)"
            );
        if (build.AllServices && build.Services is { Length: > 0 })
            checks.Fail(
                $"{checks.Describe(nameof(IServices.Services))} and "
                    + $"{checks.Describe(nameof(IServices.AllServices))} contradict each other; give one"
            );
        if (catalog.Problems.Count > 0)
            return;
        if (!build.HasServices)
        {
            checks.Fail(
                $"{checks.Describe(nameof(IServices.Services))} / "
                    + $"{checks.Describe(nameof(IServices.AllServices))}: this is a "
                    + $"one-image repository ({ServiceCatalog.ConfigPath} has no SERVICE_NAMES)"
            );
            return;
        }

        WarnAboutInputsMatchingNothing(build, catalog.Services);
        var known = catalog.Services.Select(s => s.Name).ToList();
        foreach (var name in build.Services ?? [])
        {
            if (!known.Contains(name, StringComparer.Ordinal))
                checks.Fail(
                    $"{checks.Describe(nameof(IServices.Services))}: '{name}' is not a "
                        + $"service of {ServiceCatalog.ConfigPath} ({string.Join(", ", known)})"
                );
        }
    }
}
