using System.Globalization;
using System.Text.RegularExpressions;
using Pipeline.Containers;
using Pipeline.Containers.Images;
using Pipeline.Engine;

namespace Pipeline.Components.Services;

/// <summary>
/// Reads the services of <c>deploy/config.env</c>: <c>SERVICE_NAMES=api,web,landing</c> and, per service,
/// <c>SERVICE_&lt;NAME&gt;_&lt;FIELD&gt;</c>, only from the file: the file is the list. Every problem —
/// a bad or repeated name, a key for a service not listed, an unknown field, a missing context or Containerfile, a
/// bad image name, port or health path — is one line naming its source, and all are collected before anything runs.
/// No <c>SERVICE_NAMES</c>: an empty catalog, and the build is the one-image build it always was.
/// </summary>
internal static partial class ServiceCatalog
{
    public const string NamesKey = "SERVICE_NAMES";
    public const string ConfigPath = "deploy/config.env";

    /// <summary>The settings of one service, in the order the docs list them.</summary>
    public static readonly string[] Fields = ["CONTEXT", "CONTAINERFILE", "IMAGE", "BUILD_ARGS", "TARGET", "PORT", "HEALTH_PATH", "INPUTS"];

    /// <summary>Keys under <c>SERVICE_</c> that are build parameters, not service settings (IDeploy's port of the one-image build).</summary>
    private static readonly string[] ParameterKeys = [NamesKey, ParameterNames.ToUpperSnake(nameof(Deploy.IDeploy.ServicePort))];

    public static ServiceCatalogResult Read(AbsolutePath root)
    {
        var file = ConfigEnvFile.Load(root / "deploy" / "config.env", ConfigPath);
        return Read(root, Lookup(file), file);
    }

    /// <summary>Whether services are declared at all, valid or not (a bad list must still reach the preflight check).</summary>
    public static bool IsDeclared(AbsolutePath root) => Lookup(ConfigEnvFile.Load(root / "deploy" / "config.env", ConfigPath))(NamesKey) is not null;

    private static Func<string, ServiceSetting?> Lookup(ConfigEnvFile file)
        => key => file.Find(key) is { Value.Length: > 0 } found ? new ServiceSetting(found.Value, found.Source) : null;

    public static ServiceCatalogResult Read(AbsolutePath root, Func<string, ServiceSetting?> lookup, ConfigEnvFile? file)
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

        if (file is not null) problems.AddRange(UnknownKeys(file, names));
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

    private static ServiceDefinition? Define(AbsolutePath root, string name, string listSource, Func<string, ServiceSetting?> lookup, List<string> problems)
    {
        var prefix = Prefix(name);
        ServiceSetting? Get(string field) => lookup(prefix + field) is { Value.Length: > 0 } setting ? setting : null;
        var before = problems.Count;

        var contextSetting = Get("CONTEXT");
        var contextText = contextSetting?.Value ?? $"deploy/services/{name}";
        var context = Resolve(root, contextText);
        if (!Directory.Exists(context))
        {
            problems.Add(contextSetting is null
                ? $"{listSource}: service {name} has no {prefix}CONTEXT and its default folder {contextText} does not exist"
                : $"{contextSetting.Source}: {prefix}CONTEXT: the folder {contextText} does not exist");
        }

        AbsolutePath? containerfile = null;
        if (Get("CONTAINERFILE") is { } file)
        {
            containerfile = Resolve(root, file.Value);
            if (!File.Exists(containerfile)) problems.Add($"{file.Source}: {prefix}CONTAINERFILE: the file {file.Value} does not exist");
        }
        else if (Directory.Exists(context) && !File.Exists(context / "Containerfile") && !File.Exists(context / "Dockerfile"))
        {
            problems.Add($"{contextSetting?.Source ?? listSource}: service {name}: {contextText} has no Containerfile or Dockerfile; set {prefix}CONTAINERFILE");
        }

        var imageSetting = Get("IMAGE");
        var image = imageSetting?.Value ?? name;
        try
        {
            ImageNames.ValidateRepository(image, $"{imageSetting?.Source ?? listSource}: {prefix}IMAGE");
        }
        catch (InvalidImageReferenceException e)
        {
            problems.Add(e.Message);
        }

        var buildArgs = Get("BUILD_ARGS") is { } args ? args.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [];
        if (buildArgs.FirstOrDefault(a => a.IndexOf('=') <= 0) is { } badArg) problems.Add($"{Get("BUILD_ARGS")!.Source}: {prefix}BUILD_ARGS: '{badArg}' is not KEY=VALUE");

        int? port = null;
        if (Get("PORT") is { } portSetting)
        {
            if (int.TryParse(portSetting.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is >= 1 and <= 65535) port = p;
            else problems.Add($"{portSetting.Source}: {prefix}PORT: '{portSetting.Value}' is not a port (1–65535)");
        }

        var health = Get("HEALTH_PATH");
        if (health is not null && (!health.Value.StartsWith('/') || health.Value.Any(char.IsWhiteSpace)))
            problems.Add($"{health.Source}: {prefix}HEALTH_PATH: '{health.Value}' is not a path (it starts with '/', no spaces)");

        var inputs = new List<string>();
        if (Get("INPUTS") is { } inputSetting)
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
            : new ServiceDefinition(name, image, context, containerfile, buildArgs, Get("TARGET")?.Value, port, health?.Value, inputs.Distinct(StringComparer.Ordinal).ToList(), listSource);
    }

    /// <summary>Each <c>SERVICE_*</c> line of the file must belong to a listed service and name a known field.</summary>
    private static IEnumerable<string> UnknownKeys(ConfigEnvFile file, IReadOnlyList<string> names)
    {
        foreach (var key in file.Entries.Keys.Where(k => k.StartsWith("SERVICE_", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal))
        {
            if (ParameterKeys.Contains(key, StringComparer.OrdinalIgnoreCase)) continue;
            var upper = key.ToUpperInvariant();
            var owners = names.Where(n => upper.StartsWith(Prefix(n), StringComparison.Ordinal)).ToList();
            if (owners.Any(n => Fields.Contains(upper[Prefix(n).Length..], StringComparer.Ordinal))) continue;
            var source = file.Find(key)!.Value.Source;
            yield return owners.Count == 0
                ? $"{source}: {key} is for a service not in {NamesKey} ({string.Join(", ", names)})"
                : $"{source}: {key}: unknown setting {upper[Prefix(owners[^1]).Length..]}(settings: {string.Join(", ", Fields)})";
        }
    }

    private static AbsolutePath Resolve(AbsolutePath root, string path) => Path.IsPathRooted(path) ? new AbsolutePath(path) : root / path;

    [GeneratedRegex("^[a-z][a-z0-9-]{0,39}$")]
    private static partial Regex ValidName();
}
