using System.Text.RegularExpressions;
using Pipeline.Containers;
using Pipeline.Containers.Images;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Paths;

namespace Pipeline.Components.Services;

/// <summary>
/// Reads the services of <c>deploy/config.env</c>: <c>SERVICE_NAMES=api,web,landing</c> and, per service,
/// <c>SERVICE_&lt;NAME&gt;_&lt;FIELD&gt;</c>, read like parameters (an environment variable over the file's line; the
/// engine's strict check already refused unknown fields). Every problem —
/// a bad or repeated name, a key for a service not listed, an unknown field, a missing context or Containerfile, a
/// bad image name, port or health path — is one line naming its source, and all are collected before anything runs.
/// No <c>SERVICE_NAMES</c>: an empty catalog, and the build is the one-image build it always was.
/// </summary>
internal static partial class ServiceCatalog
{
    public const string NamesKey = ServiceSettings.Prefix + ServiceSettings.Names;
    public const string ConfigPath = "deploy/config.env";

    public static ServiceCatalogResult Read(IServices build)
    {
        // SERVICE_NAMES emptied (or dropped) while SERVICE_<NAME>_* rows remain: a half-edited file, not a one-image
        // build.
        if (Find(build, NamesKey) is null && OrphanRows(build) is [var first, ..] rows)
        {
            return new(
                [],
                [
                    $"{first.Source}: {first.Key} is set but {NamesKey} is "
                        + $"empty or missing; list the services in {NamesKey}, or remove "
                        + $"the {ServiceSettings.Prefix}* rows ({rows.Count} in all)",
                ]
            );
        }

        var file = ConfigEnvFile.Load(build.RootDirectory / "deploy" / "config.env", ConfigPath);
        return Read(build.RootDirectory, key => Find(build, key), file);
    }

    /// <summary>Whether services are declared at all, valid or not (a bad list must still reach the preflight
    /// check).</summary>
    public static bool IsDeclared(IServices build) => Find(build, NamesKey) is not null || OrphanRows(build).Count > 0;

    /// <summary>SERVICE_* rows with a value, besides SERVICE_NAMES.</summary>
    private static IReadOnlyList<ConfigSetting> OrphanRows(IServices build)
    {
        try
        {
            return build
                .ConfigKeys(ServiceSettings.Prefix)
                .Where(k => k.Value.Length > 0 && !string.Equals(k.Key, NamesKey, StringComparison.OrdinalIgnoreCase))
                .ToList();
        }
        catch (ArgumentException)
        {
            return []; // parameters resolved without this component's key family: no services
        }
    }

    private static ConfigSetting? Find(IServices build, string key)
    {
        try
        {
            return build.ConfigKey(key) is { Value.Length: > 0 } found ? found : null;
        }
        catch (ArgumentException)
        {
            // parameters resolved without this component's key family (a harness running one target): no services
            return null;
        }
    }

    private static ServiceCatalogResult Read(AbsolutePath root, Func<string, ConfigSetting?> lookup, ConfigEnvFile file)
    {
        var problems = new List<string>();
        if (lookup(NamesKey) is not { } list)
            return new([], problems);

        var names = new List<string>();
        foreach (var raw in list.Value.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!ValidName().IsMatch(raw))
                problems.Add(
                    $"{list.Source}: {NamesKey}: '{raw}' is not a service name (lowercase "
                        + $"letters, digits and '-', starting with a letter, at most 40)"
                );
            else if (names.Contains(raw, StringComparer.Ordinal))
                problems.Add($"{list.Source}: {NamesKey}: '{raw}' is listed twice");
            else
                names.Add(raw);
        }

        problems.AddRange(UnlistedServices(file, names, lookup));
        var services = new List<ServiceDefinition>();
        foreach (var name in names)
        {
            if (Define(root, name, list.Source, lookup, problems) is { } service)
                services.Add(service);
        }

        foreach (var clash in services.GroupBy(s => s.Image, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add(
                $"{list.Source}: services {string.Join(" and ", clash.Select(s => s.Name))} "
                    + $"have the same image {clash.Key}; give each its own SERVICE_<NAME>_IMAGE"
            );
        }

        problems.AddRange(TagPrefixProblems(services, lookup));

        return new(problems.Count == 0 ? services : [], problems);
    }

    /// <summary>The key prefix of a service: <c>landing-page</c> → <c>SERVICE_LANDING_PAGE_</c>.</summary>
    public static string Prefix(string name) => "SERVICE_" + name.ToUpperInvariant().Replace('-', '_') + "_";

    // One pass over the table of keys, then the checks that need the disk: the context folder and its Containerfile.
    private static ServiceDefinition? Define(
        AbsolutePath root,
        string name,
        string listSource,
        Func<string, ConfigSetting?> lookup,
        List<string> problems
    )
    {
        var before = problems.Count;
        var pass = new ServiceSettingsPass(name, listSource, lookup, problems).Check(ServiceKeys.PerService);
        var context = ContextExists(root, name, listSource, pass, problems);
        var containerfile = ContainerfileExists(root, name, listSource, context, pass, problems);
        // Without INPUTS, everything in the context.
        var inputs = (
            pass.Raw(ServiceKeys.Inputs) is null
                ? [context.RelativeTo(root).Replace('\\', '/').TrimEnd('/') + "/**"]
                : pass.Value(ServiceKeys.Inputs)
        ).ToList();
        // The Containerfile is always an input, wherever it lives.
        if (containerfile is not null)
            inputs.Add(containerfile.RelativeTo(root).Replace('\\', '/'));

        IReadOnlyList<Pipeline.Containers.Build.BuildPlatform>? platforms = null;
        string? platformsSource = null;
        if (pass.Raw(ServiceKeys.Platforms) is { } platformSetting)
        {
            platformsSource = $"{platformSetting.Source}: {pass.Prefix}{ServiceKeys.Platforms.Name}";
            platforms = Pipeline.Containers.Build.BuildPlatform.ParseList(
                platformSetting.Value,
                $"{platformsSource} (service {name})",
                problems
            );
        }

        return problems.Count > before
            ? null
            : new ServiceDefinition(
                name,
                pass.Value(ServiceKeys.Image)!,
                context,
                containerfile,
                pass.Value(ServiceKeys.BuildArgs),
                pass.Value(ServiceKeys.Target),
                pass.Value(ServiceKeys.Port),
                pass.Value(ServiceKeys.HealthPath),
                inputs.Distinct(StringComparer.Ordinal).ToList(),
                listSource,
                pass.Value(ServiceKeys.TagPrefix)
            )
            {
                Platforms = platforms,
                PlatformsSource = platformsSource,
            };
    }

    private static AbsolutePath ContextExists(
        AbsolutePath root,
        string name,
        string listSource,
        ServiceSettingsPass pass,
        List<string> problems
    )
    {
        var contextText = pass.Value(ServiceKeys.Context)!;
        var context = Resolve(root, contextText);
        if (!Directory.Exists(context))
            problems.Add(
                pass.Raw(ServiceKeys.Context) is { } set
                    ? $"{set.Source}: {pass.Prefix}CONTEXT: the folder {contextText} does not exist"
                    : $"{listSource}: service {name} has no {pass.Prefix}CONTEXT "
                        + $"and its default folder {contextText} does not exist"
            );
        return context;
    }

    private static AbsolutePath? ContainerfileExists(
        AbsolutePath root,
        string name,
        string listSource,
        AbsolutePath context,
        ServiceSettingsPass pass,
        List<string> problems
    )
    {
        if (pass.Raw(ServiceKeys.Containerfile) is { } file)
        {
            var containerfile = Resolve(root, file.Value);
            if (!File.Exists(containerfile))
                problems.Add($"{file.Source}: {pass.Prefix}CONTAINERFILE: the file {file.Value} does not exist");
            return containerfile;
        }

        if (
            Directory.Exists(context)
            && !File.Exists(context / "Containerfile")
            && !File.Exists(context / "Dockerfile")
        )
            problems.Add(
                $"{pass.Raw(ServiceKeys.Context)?.Source ?? listSource}: service {name}: "
                    + $"{pass.Value(ServiceKeys.Context)} has no Containerfile or Dockerfile; "
                    + $"set {pass.Prefix}CONTAINERFILE"
            );
        return null;
    }

    /// <summary>
    /// Tag prefixes are all or nothing: services released separately each have their own (their tags cannot be told
    /// apart otherwise), and a repository released as one has none (one CalVer tag per release).
    /// </summary>
    private static IEnumerable<string> TagPrefixProblems(
        IReadOnlyList<ServiceDefinition> services,
        Func<string, ConfigSetting?> lookup
    )
    {
        string Source(ServiceDefinition s) => lookup(Prefix(s.Name) + ServiceSettings.TagPrefix)?.Source ?? s.Source;
        var prefixed = services.Where(s => s.TagPrefix is not null).ToList();
        if (prefixed.Count == 0)
            yield break;
        if (prefixed.Count < services.Count)
        {
            var without = services.Where(s => s.TagPrefix is null).Select(s => s.Name);
            yield return $"{Source(prefixed[0])}: {Prefix(prefixed[0].Name)}TAG_PREFIX: a tag "
                + $"prefix is set for {string.Join(", ", prefixed.Select(s => s.Name))} but "
                + $"not for {string.Join(", ", without)}; give every service its own "
                + $"(released separately) or none (one CalVer tag per release of the repository)";
        }

        foreach (var clash in prefixed.GroupBy(s => s.TagPrefix, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            yield return $"{Source(clash.Last())}: services {string.Join(" and ", clash.Select(s => s.Name))} "
                + $"have the same tag prefix '{clash.Key}'; give each its own SERVICE_<NAME>_TAG_PREFIX";
        }
    }

    /// <summary>Each <c>SERVICE_&lt;NAME&gt;_*</c> line of the file must belong to a listed service (the engine checked
    /// the field).</summary>
    private static IEnumerable<string> UnlistedServices(
        ConfigEnvFile file,
        IReadOnlyList<string> names,
        Func<string, ConfigSetting?> lookup
    )
    {
        foreach (var key in file.Entries.Keys.Order(StringComparer.Ordinal))
        {
            var upper = key.ToUpperInvariant();
            if (!upper.StartsWith(ServiceSettings.Prefix, StringComparison.Ordinal) || upper == NamesKey)
                continue;
            var field = ServiceSettings.Fields.FirstOrDefault(f =>
                upper.EndsWith("_" + f, StringComparison.Ordinal)
                && upper.Length > ServiceSettings.Prefix.Length + f.Length + 1
            );
            if (field is null || names.Any(n => upper == Prefix(n) + field))
                continue;
            yield return $"{lookup(key)?.Source ?? ConfigPath}: {key} is for a "
                + $"service not in {NamesKey} ({string.Join(", ", names)})";
        }
    }

    private static AbsolutePath Resolve(AbsolutePath root, string path) =>
        Path.IsPathRooted(path) ? new AbsolutePath(path) : root / path;

    [GeneratedRegex("^[a-z][a-z0-9-]{0,39}$")]
    private static partial Regex ValidName();
}
