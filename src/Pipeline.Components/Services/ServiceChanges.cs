using Microsoft.Extensions.FileSystemGlobbing;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Paths;
using Pipeline.Git;

namespace Pipeline.Components.Services;

/// <summary>
/// Decides which services a run works on: the ones named (<c>--services</c>), all (<c>--all-services</c>, or no base to
/// compare with), or those whose inputs changed against the base (<see cref="ChangeBase"/>): a changed path matching a
/// service's input globs, or its <c>SERVICE_&lt;NAME&gt;_*</c> lines changed in <c>deploy/config.env</c>. A shared
/// folder in several services' inputs makes each of them affected.
/// </summary>
internal static class ServiceChanges
{
    /// <summary>The base's commit: in this clone, else fetched from origin (a shallow CI clone may lack it); null when
    /// neither has it.</summary>
    public static async Task<string?> ResolveBaseAsync(GitRepository repository, string revision)
    {
        var commit = await repository.ResolveAsync(revision);
        if (commit is null && await repository.HasRemoteAsync("origin"))
        {
            // One object walk, no tags.
            await repository.Cli.RunAsync(
                ["fetch", "--no-tags", "--quiet", "--depth=1", "origin", revision],
                check: false
            );
            commit = await repository.ResolveAsync(revision);
        }

        return commit;
    }

    public static async Task<string> NoSuchBaseAsync(GitRepository repository, string revision) =>
        $"--base-ref {revision}: no commit, branch or tag of that name in this "
        + $"clone{(await repository.HasRemoteAsync("origin") ? " or on origin" : "")}";

    public static async Task<ServicePlan> PlanAsync(IServices build, IReadOnlyList<ServiceDefinition> services)
    {
        var all = services.Select(s => s.Name).ToList();
        if (build.AllServices)
            return Everything(all, "--all-services", null);
        if (build.Services is { Length: > 0 } named)
        {
            var chosen = named.Distinct(StringComparer.Ordinal).ToList();
            return new ServicePlan(
                "--services",
                null,
                chosen.Select(n => new AffectedService(n, "named by --services", [])).ToList(),
                all.Except(chosen).ToList()
            );
        }

        var change = ChangeBase.Find(build);
        if (change is null)
            return Everything(
                all,
                "all services: no base to compare with (pass --base-ref, or run on a pull request or push)",
                null
            );

        var repository = new GitRepository(build.RootDirectory, Log.Logger);
        var commit = await ResolveBaseAsync(repository, change.Revision);
        if (commit is null && change.Given)
            throw new BuildFailure(await NoSuchBaseAsync(repository, change.Revision));
        if (commit is null)
            return Everything(
                all,
                $"all services: the base {change.Revision} ({change.Why}) is not in this clone",
                change.Revision
            );

        var changed = await repository.ChangedSinceAsync(commit);
        var settingsChanged = await SettingsChangedAsync(repository, commit, build.RootDirectory, services);
        var affected = new List<AffectedService>();
        foreach (var service in services)
        {
            var matcher = new Matcher(StringComparison.Ordinal);
            matcher.AddIncludePatterns(service.Inputs);
            var paths = matcher
                .Match(build.RootDirectory, changed.Select(p => (string)(build.RootDirectory / p)))
                .Files.Select(f => f.Path.Replace('\\', '/'))
                .Order(StringComparer.Ordinal)
                .ToList();
            if (settingsChanged.Contains(service.Name))
                affected.Add(
                    new(
                        service.Name,
                        $"its {ServiceCatalog.Prefix(service.Name)}* settings in {ServiceCatalog.ConfigPath} changed",
                        paths
                    )
                );
            else if (paths.Count > 0)
                affected.Add(new(service.Name, $"{paths.Count} input path(s) changed", paths));
        }

        return new ServicePlan(
            $"changes since {change.Why} ({commit[..12]})",
            commit,
            affected,
            all.Except(affected.Select(a => a.Name)).ToList()
        );
    }

    private static ServicePlan Everything(IReadOnlyList<string> all, string basis, string? baseRevision) =>
        new(basis, baseRevision, all.Select(n => new AffectedService(n, basis, [])).ToList(), []);

    /// <summary>Services whose lines in deploy/config.env differ from the base's (a new service included).</summary>
    private static async Task<HashSet<string>> SettingsChangedAsync(
        GitRepository repository,
        string commit,
        AbsolutePath root,
        IReadOnlyList<ServiceDefinition> services
    )
    {
        var before = await repository.ReadFileAtAsync(commit, ServiceCatalog.ConfigPath);
        var current = root / "deploy" / "config.env";
        var then = before is null ? new Dictionary<string, string>() : ParseText(before);
        var now = File.Exists(current)
            ? ConfigEnvFile.Load(current, ServiceCatalog.ConfigPath).Entries
            : new Dictionary<string, string>();
        var listedBefore = then.TryGetValue(ServiceCatalog.NamesKey, out var names)
            ? names.Split(',', StringSplitOptions.TrimEntries)
            : [];
        return services
            .Where(s =>
                !listedBefore.Contains(s.Name, StringComparer.Ordinal)
                || !Same(Settings(then, s.Name), Settings(now, s.Name))
            )
            .Select(s => s.Name)
            .ToHashSet(StringComparer.Ordinal);
    }

    private static Dictionary<string, string> ParseText(string text)
    {
        var temporary = Path.GetTempFileName();
        try
        {
            File.WriteAllText(temporary, text);
            return ConfigEnvFile
                .Load(temporary, ServiceCatalog.ConfigPath)
                .Entries.ToDictionary(StringComparer.OrdinalIgnoreCase);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static SortedDictionary<string, string> Settings(
        IReadOnlyDictionary<string, string> entries,
        string service
    ) =>
        new(
            entries
                .Where(e =>
                    ServiceSettings.Fields.Any(f =>
                        string.Equals(e.Key, ServiceCatalog.Prefix(service) + f, StringComparison.OrdinalIgnoreCase)
                    )
                )
                .ToDictionary(e => e.Key.ToUpperInvariant(), e => e.Value),
            StringComparer.Ordinal
        );

    private static bool Same(SortedDictionary<string, string> a, SortedDictionary<string, string> b) =>
        a.Count == b.Count && a.All(e => b.TryGetValue(e.Key, out var v) && v == e.Value);
}
