using System.Globalization;
using System.Text.RegularExpressions;
using Pipeline.Containers;
using Pipeline.Containers.Images;
using Pipeline.Engine;

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
        var file = ConfigEnvFile.Load(build.RootDirectory / "deploy" / "config.env", ConfigPath);
        return Read(build.RootDirectory, key => build.ConfigKey(key) is { Value.Length: > 0 } found ? found : null, file);
    }

    /// <summary>Whether services are declared at all, valid or not (a bad list must still reach the preflight check).</summary>
    public static bool IsDeclared(IServices build) => build.ConfigKey(NamesKey) is { Value.Length: > 0 };

    private static ServiceCatalogResult Read(AbsolutePath root, Func<string, ConfigSetting?> lookup, ConfigEnvFile file)
    {
        var problems = new List<string>();
        if (lookup(NamesKey) is not { } list) return new([], problems);

        var names = new List<string>();
        foreach (var raw in list.Value.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!ValidName().IsMatch(raw)) problems.Add($"{list.Source}: {NamesKey}: '{raw}' is not a service name (lowercase letters, digits and '-', starting with a letter, at most 40)");
            else if (names.Contains(raw, StringComparer.Ordinal)) problems.Add($"{list.Source}: {NamesKey}: '{raw}' is listed twice");
            else names.Add(raw);
        }

        problems.AddRange(UnlistedServices(file, names, lookup));
        var services = new List<ServiceDefinition>();
        foreach (var name in names)
        {
            if (Define(root, name, list.Source, lookup, problems) is { } service) services.Add(service);
        }

        foreach (var clash in services.GroupBy(s => s.Image, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"{list.Source}: services {string.Join(" and ", clash.Select(s => s.Name))} have the same image {clash.Key}; give each its own SERVICE_<NAME>_IMAGE");
        }

        return new(problems.Count == 0 ? services : [], problems);
    }

    /// <summary>The key prefix of a service: <c>landing-page</c> → <c>SERVICE_LANDING_PAGE_</c>.</summary>
    public static string Prefix(string name) => "SERVICE_" + name.ToUpperInvariant().Replace('-', '_') + "_";

    private static ServiceDefinition? Define(AbsolutePath root, string name, string listSource, Func<string, ConfigSetting?> lookup, List<string> problems)
    {
        var prefix = Prefix(name);
        ConfigSetting? Get(string field) => lookup(prefix + field) is { Value.Length: > 0 } setting ? setting : null;
        var before = problems.Count;

        var contextSetting = Get(ServiceSettings.Context);
        var contextText = contextSetting?.Value ?? $"deploy/services/{name}";
        var context = Resolve(root, contextText);
        if (!Directory.Exists(context))
        {
            problems.Add(contextSetting is null
                ? $"{listSource}: service {name} has no {prefix}CONTEXT and its default folder {contextText} does not exist"
                : $"{contextSetting.Source}: {prefix}CONTEXT: the folder {contextText} does not exist");
        }

        AbsolutePath? containerfile = null;
        if (Get(ServiceSettings.Containerfile) is { } file)
        {
            containerfile = Resolve(root, file.Value);
            if (!File.Exists(containerfile)) problems.Add($"{file.Source}: {prefix}CONTAINERFILE: the file {file.Value} does not exist");
        }
        else if (Directory.Exists(context) && !File.Exists(context / "Containerfile") && !File.Exists(context / "Dockerfile"))
        {
            problems.Add($"{contextSetting?.Source ?? listSource}: service {name}: {contextText} has no Containerfile or Dockerfile; set {prefix}CONTAINERFILE");
        }

        var imageSetting = Get(ServiceSettings.Image);
        var image = imageSetting?.Value ?? name;
        try
        {
            ImageNames.ValidateRepository(image, $"{imageSetting?.Source ?? listSource}: {prefix}IMAGE");
        }
        catch (InvalidImageReferenceException e)
        {
            problems.Add(e.Message);
        }

        var buildArgs = Get(ServiceSettings.BuildArgs) is { } args ? args.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [];
        if (buildArgs.FirstOrDefault(a => a.IndexOf('=') <= 0) is { } badArg) problems.Add($"{Get(ServiceSettings.BuildArgs)!.Source}: {prefix}BUILD_ARGS: '{badArg}' is not KEY=VALUE");

        int? port = null;
        if (Get(ServiceSettings.Port) is { } portSetting)
        {
            if (int.TryParse(portSetting.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is >= 1 and <= 65535) port = p;
            else problems.Add($"{portSetting.Source}: {prefix}PORT: '{portSetting.Value}' is not a port (1–65535)");
        }

        var health = Get(ServiceSettings.HealthPath);
        if (health is not null && (!health.Value.StartsWith('/') || health.Value.Any(char.IsWhiteSpace)))
            problems.Add($"{health.Source}: {prefix}HEALTH_PATH: '{health.Value}' is not a path (it starts with '/', no spaces)");

        var inputs = new List<string>();
        if (Get(ServiceSettings.Inputs) is { } inputSetting)
        {
            foreach (var glob in inputSetting.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (Path.IsPathRooted(glob) || glob.Split('/').Contains("..")) problems.Add($"{inputSetting.Source}: {prefix}INPUTS: '{glob}' must be a glob relative to the root, inside it");
                else inputs.Add(glob);
            }
        }
        else
        {
            inputs.Add(context.RelativeTo(root).Replace('\\', '/').TrimEnd('/') + "/**");
        }

        // The Containerfile is always an input, wherever it lives.
        if (containerfile is not null) inputs.Add(containerfile.RelativeTo(root).Replace('\\', '/'));

        return problems.Count > before
            ? null
            : new ServiceDefinition(name, image, context, containerfile, buildArgs, Get(ServiceSettings.Target)?.Value, port, health?.Value, inputs.Distinct(StringComparer.Ordinal).ToList(), listSource);
    }

    /// <summary>Each <c>SERVICE_&lt;NAME&gt;_*</c> line of the file must belong to a listed service (the engine checked the field).</summary>
    private static IEnumerable<string> UnlistedServices(ConfigEnvFile file, IReadOnlyList<string> names, Func<string, ConfigSetting?> lookup)
    {
        foreach (var key in file.Entries.Keys.Order(StringComparer.Ordinal))
        {
            var upper = key.ToUpperInvariant();
            if (!upper.StartsWith(ServiceSettings.Prefix, StringComparison.Ordinal) || upper == NamesKey) continue;
            var field = ServiceSettings.Fields.FirstOrDefault(f => upper.EndsWith("_" + f, StringComparison.Ordinal) && upper.Length > ServiceSettings.Prefix.Length + f.Length + 1);
            if (field is null || names.Any(n => upper == Prefix(n) + field)) continue;
            yield return $"{lookup(key)?.Source ?? ConfigPath}: {key} is for a service not in {NamesKey} ({string.Join(", ", names)})";
        }
    }

    private static AbsolutePath Resolve(AbsolutePath root, string path) => Path.IsPathRooted(path) ? new AbsolutePath(path) : root / path;

    [GeneratedRegex("^[a-z][a-z0-9-]{0,39}$")]
    private static partial Regex ValidName();
}
