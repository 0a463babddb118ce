using System.Globalization;
using System.Text.RegularExpressions;
using Pipeline.Containers.ContainerEngines;

namespace Pipeline.Deploy.Environments;

/// <summary>
/// Reads and validates one environment's <c>DEPLOY_&lt;NAME&gt;_*</c> settings before anything is touched. Every
/// problem is one line naming the key and where its value came from; all problems are collected, not just the first.
/// </summary>
public static partial class DeployEnvironmentReader
{
    public const string EnvironmentsSuffix = "ENVIRONMENTS";
    public const string EnvironmentsKey = "DEPLOY_" + EnvironmentsSuffix;

    /// <param name="name">The environment asked for (--deploy-environment).</param>
    /// <param name="lookup">Finds a key in the environment variables and deploy/config.env, with its source.</param>
    /// <param name="containerPort">The port the service listens on in its container (SERVICE_PORT).</param>
    /// <param name="services">
    /// The services of a many-service repository (null or empty: one image). Then PORTS (and LISTEN for haproxy-local)
    /// give one entry per service that deploys to this environment, <c>api=18081,18082 web=18083,18084</c>, and each
    /// service's backend is its name. A service without an entry cannot deploy here (<see
    /// cref="DeployEnvironment.ForService"/>).
    /// </param>
    public static DeployEnvironment Read(
        string name,
        Func<string, DeploySetting?> lookup,
        int containerPort = 8080,
        IReadOnlyList<DeployService>? services = null
    )
    {
        services ??= [];
        var problems = new List<string>();
        var known = lookup(EnvironmentsKey);
        var names =
            known?.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        if (known is null || names.Length == 0)
            throw new DeployException(
                $"{EnvironmentsKey} is not set; list the environments in "
                    + $"deploy/config.env, e.g. {EnvironmentsKey}=staging,production"
            );
        if (!names.Contains(name, StringComparer.Ordinal))
            throw new DeployException(
                $"deploy environment '{name}' is not one of "
                    + $"{string.Join(", ", names)} ({EnvironmentsKey}, {known.Source})"
            );
        if (!EnvironmentName().IsMatch(name))
            throw new DeployException(
                $"deploy environment '{name}' ({known.Source}) must be lowercase letters, digits and '-'"
            );

        var prefix = DeploySettings.Prefix(name);
        string Key(string setting) => prefix + setting;
        DeploySetting? Get(string setting) => lookup(Key(setting)) is { Value.Length: > 0 } found ? found : null;
        void Problem(string setting, DeploySetting? value, string text) =>
            problems.Add(value is null ? $"{Key(setting)}: {text}" : $"{Key(setting)} ({value.Source}): {text}");

        var host = Get(DeploySettings.Host);
        if (host is null)
            Problem(
                DeploySettings.Host,
                null,
                $"not set; the container host's API, e.g. unix:///run/podman/podman.sock, "
                    + $"tcp://127.0.0.1:2375 or '{DeployEnvironment.PrivatePodman}'"
            );
        else if (
            host.Value != DeployEnvironment.PrivatePodman
            && (
                !Uri.TryCreate(host.Value, UriKind.Absolute, out var uri)
                || uri.Scheme is not ("unix" or "tcp")
                || (uri.Scheme == "tcp" && uri.Port <= 0)
            )
        )
            Problem(
                DeploySettings.Host,
                host,
                $"'{host.Value}' is not unix:///path/to.sock, tcp://host:port or '{DeployEnvironment.PrivatePodman}'"
            );

        var certPath = Get(DeploySettings.CertPath);
        ContainerEngineTlsFiles? tls = null;
        if (certPath is not null)
        {
            if (host is not null && !host.Value.StartsWith("tcp://", StringComparison.Ordinal))
                Problem(
                    DeploySettings.CertPath,
                    certPath,
                    $"TLS applies to a tcp:// host only, and {Key(DeploySettings.Host)} is '{host.Value}'"
                );
            else if (ContainerEngineTlsFiles.Check(certPath.Value) is { } unusable)
                Problem(DeploySettings.CertPath, certPath, unusable);
            else
                tls = new ContainerEngineTlsFiles(certPath.Value);
        }
        else if (
            host is not null
            && Uri.TryCreate(host.Value, UriKind.Absolute, out var plain)
            && plain.Scheme == "tcp"
            && !IsLoopback(plain.Host)
        )
        {
            // Docker's API without TLS is root on that machine for anyone who can reach the port.
            Problem(
                DeploySettings.Host,
                host,
                $"'{host.Value}' is an unauthenticated API outside loopback; set "
                    + $"{Key(DeploySettings.CertPath)} (TLS client certificates) "
                    + $"or forward the remote socket to 127.0.0.1 over ssh"
            );
        }

        var registry = Get(DeploySettings.Registry);
        if (registry is null)
            Problem(
                DeploySettings.Registry,
                null,
                "not set; the registry the environment pulls from: gar, ghcr or local"
            );
        else if (registry.Value is not ("gar" or "ghcr" or "local"))
            Problem(DeploySettings.Registry, registry, $"'{registry.Value}' is not gar, ghcr or local");

        string? socket = null;
        (string, int)? listen = null;
        Dictionary<string, (string, int)>? listens = null;
        var traffic = Get(DeploySettings.Switch);
        if (traffic is null)
            Problem(
                DeploySettings.Switch,
                null,
                "not set; haproxy:/path/to/admin.sock (HAProxy's runtime API) or haproxy-local (the build runs one)"
            );
        else if (traffic.Value == "haproxy-local")
        {
            var listenSetting = Get(DeploySettings.Listen);
            if (listenSetting is null)
                Problem(
                    DeploySettings.Listen,
                    null,
                    services.Count > 0
                        ? $"not set; where the build's HAProxy serves each service, e.g. {ListenExample(services)}"
                        : "not set; where the build's HAProxy serves the service, e.g. 127.0.0.1:8480"
                );
            else if (services.Count > 0)
            {
                if (
                    PerService(
                        DeploySettings.Listen,
                        listenSetting,
                        ListenExample(services),
                        t => ParseEndpoint(t) is not null,
                        "address:port"
                    ) is
                    { } entries
                )
                {
                    listens = entries.ToDictionary(
                        e => e.Key,
                        e => ParseEndpoint(e.Value)!.Value,
                        StringComparer.Ordinal
                    );
                    Distinct(
                        DeploySettings.Listen,
                        listenSetting,
                        listens.Select(e => ($"{e.Value.Item1}:{e.Value.Item2}", e.Key)),
                        "address"
                    );
                }
            }
            else if (ParseEndpoint(listenSetting.Value) is { } endpoint)
                listen = endpoint;
            else
                Problem(DeploySettings.Listen, listenSetting, $"'{listenSetting.Value}' is not address:port");
        }
        else if (
            traffic.Value.StartsWith("haproxy:", StringComparison.Ordinal) && Path.IsPathRooted(traffic.Value[8..])
        )
            socket = traffic.Value[8..];
        else
            Problem(
                DeploySettings.Switch,
                traffic,
                $"'{traffic.Value}' is not haproxy:/absolute/path/to/admin.sock or haproxy-local"
            );

        var backend = Get(DeploySettings.Backend)?.Value ?? "service";
        if (services.Count > 0 && Get(DeploySettings.Backend) is { } named)
            Problem(
                DeploySettings.Backend,
                named,
                $"in a many-service repository each service's HAProxy backend is its "
                    + $"name ({string.Join(", ", services.Select(s => s.Name))}); remove the key"
            );
        else if (!BackendName().IsMatch(backend))
            Problem(
                DeploySettings.Backend,
                Get(DeploySettings.Backend),
                $"'{backend}' is not an HAProxy backend name (letters, digits, '-', '_', '.')"
            );

        var portsSetting = Get(DeploySettings.Ports);
        int[] ports = [];
        Dictionary<string, int[]>? servicePorts = null;
        if (portsSetting is null)
            Problem(
                DeploySettings.Ports,
                null,
                services.Count > 0
                    ? $"not set; each service's two host ports (slots a and b), e.g. {PortsExample(services)}"
                    : "not set; the two host ports of slots a and b, e.g. 18081,18082"
            );
        else if (services.Count > 0)
        {
            if (
                PerService(
                    DeploySettings.Ports,
                    portsSetting,
                    PortsExample(services),
                    t => SlotPair(t) is not null,
                    "two different ports (1-65535)"
                ) is
                { } entries
            )
            {
                servicePorts = entries.ToDictionary(e => e.Key, e => SlotPair(e.Value)!, StringComparer.Ordinal);
                Distinct(
                    DeploySettings.Ports,
                    portsSetting,
                    servicePorts.SelectMany(e => e.Value.Select(p => (p, e.Key))),
                    "port"
                );
            }
        }
        else if (SlotPair(portsSetting.Value) is { } pair)
            ports = pair;
        else
            Problem(
                DeploySettings.Ports,
                portsSetting,
                $"'{portsSetting.Value}' is not two different ports (1-65535), e.g. 18081,18082"
            );

        // With the build's own HAProxy, a service that deploys here needs both: slots and an address to be served on.
        if (servicePorts is not null && listens is not null && Get(DeploySettings.Listen) is { } listenValue)
        {
            foreach (
                var service in services
                    .Select(s => s.Name)
                    .Where(n => servicePorts.ContainsKey(n) != listens.ContainsKey(n))
            )
                Problem(
                    DeploySettings.Listen,
                    listenValue,
                    servicePorts.ContainsKey(service)
                        ? $"no entry for service {service}, which has slots in {Key(DeploySettings.Ports)}"
                        : $"service {service} has no slots in {Key(DeploySettings.Ports)}"
                );
        }

        var upstream = Get(DeploySettings.Upstream)?.Value ?? "127.0.0.1";
        if (Uri.CheckHostName(upstream) is UriHostNameType.Unknown)
            Problem(
                DeploySettings.Upstream,
                Get(DeploySettings.Upstream),
                $"'{upstream}' is not a host name or address"
            );

        var healthPath = Get(DeploySettings.HealthPath)?.Value ?? "/health";
        if (!healthPath.StartsWith('/') || healthPath.Any(char.IsWhiteSpace))
            Problem(
                DeploySettings.HealthPath,
                Get(DeploySettings.HealthPath),
                $"'{healthPath}' is not an absolute URL path such as /health"
            );

        var healthTimeout = Duration(DeploySettings.HealthTimeout, TimeSpan.FromSeconds(30));
        var canaryWindow = Duration(DeploySettings.CanaryWindow, TimeSpan.FromSeconds(60));
        var canaryWeight = Number(
            DeploySettings.CanaryWeight,
            10,
            0,
            100,
            "a percentage of traffic, 0 (switch at once) to 100"
        );
        var maxErrors = Number(DeploySettings.CanaryMaxErrors, 1, 0, 100, "a percentage of green's responses");
        var keep = Number(
            DeploySettings.Keep,
            2,
            1,
            20,
            "how many stopped previous releases stay for rollback, 1 to 20"
        );

        if (problems.Count > 0)
            throw new DeployException(string.Join(Environment.NewLine, problems));
        return new DeployEnvironment
        {
            Name = name,
            Host = host!.Value,
            Tls = tls,
            Registry = registry!.Value,
            SwitchSocket = socket,
            Listen = listen,
            Backend = backend,
            SlotPorts = ports,
            UpstreamAddress = upstream,
            ContainerPort = containerPort,
            HealthPath = healthPath,
            HealthTimeout = healthTimeout,
            CanaryWeight = canaryWeight,
            CanaryWindow = canaryWindow,
            CanaryMaxErrorPercent = maxErrors,
            Keep = keep,
            Services = services
                .Where(s => servicePorts!.ContainsKey(s.Name))
                .Select(s => new ServiceRoute(s, servicePorts![s.Name], listens?[s.Name], s.HealthPath ?? healthPath))
                .ToList(),
        };

        // PORTS or LISTEN in a many-service repository: "api=… web=…", at most one valid entry per service.
        Dictionary<string, string>? PerService(
            string setting,
            DeploySetting value,
            string example,
            Func<string, bool> valid,
            string what
        )
        {
            var entries = new Dictionary<string, string>(StringComparer.Ordinal);
            var named = new HashSet<string>(StringComparer.Ordinal);
            var before = problems.Count;
            foreach (var entry in value.Value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = entry.IndexOf('=');
                var service = equals > 0 ? entry[..equals] : "";
                var text = entry[(equals + 1)..];
                if (equals <= 0)
                    Problem(
                        setting,
                        value,
                        $"'{entry}' is not service=value: a many-service "
                            + $"repository gives each service its own, e.g. {example}"
                    );
                else if (services.All(s => s.Name != service))
                    Problem(
                        setting,
                        value,
                        $"'{service}' is not a service of SERVICE_NAMES "
                            + $"({string.Join(", ", services.Select(s => s.Name))})"
                    );
                else if (!named.Add(service))
                    Problem(setting, value, $"service {service} is given twice");
                else if (!valid(text))
                    Problem(setting, value, $"{service}: '{text}' is not {what}");
                else
                    entries[service] = text;
            }

            return problems.Count == before ? entries : null;
        }

        void Distinct<T>(string setting, DeploySetting value, IEnumerable<(T Key, string Service)> uses, string what)
        {
            if (uses.GroupBy(u => u.Key).FirstOrDefault(g => g.Count() > 1) is { } taken)
                Problem(
                    setting,
                    value,
                    $"{what} {taken.Key} is given to "
                        + $"{string.Join(" and ", taken.Select(u => u.Service).Distinct())} "
                        + $"more than once; each needs its own"
                );
        }

        TimeSpan Duration(string setting, TimeSpan fallback)
        {
            var value = Get(setting);
            if (value is null)
                return fallback;
            if (
                Durations.TryParse(value.Value, out var duration)
                && duration > TimeSpan.Zero
                && duration <= TimeSpan.FromHours(1)
            )
                return duration;
            Problem(setting, value, $"'{value.Value}' is not a duration between 1ms and 1h (e.g. 500ms, 30s, 2m)");
            return fallback;
        }

        int Number(string setting, int fallback, int min, int max, string what)
        {
            var value = Get(setting);
            if (value is null)
                return fallback;
            if (
                int.TryParse(value.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                && number >= min
                && number <= max
            )
                return number;
            Problem(setting, value, $"'{value.Value}' is not {what}");
            return fallback;
        }
    }

    private static int[]? SlotPair(string text)
    {
        var ports = text.Split(',', StringSplitOptions.TrimEntries)
            .Select(p =>
                int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
                && port is > 0 and < 65536
                    ? port
                    : -1
            )
            .ToArray();
        return ports.Length != 2 || ports.Contains(-1) || ports[0] == ports[1] ? null : ports;
    }

    private static string PortsExample(IReadOnlyList<DeployService> services) =>
        string.Join(' ', services.Take(2).Select((s, i) => $"{s.Name}={18081 + (2 * i)},{18082 + (2 * i)}"));

    private static string ListenExample(IReadOnlyList<DeployService> services) =>
        string.Join(' ', services.Take(2).Select((s, i) => $"{s.Name}=127.0.0.1:{8480 + i}"));

    private static (string, int)? ParseEndpoint(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0)
            return null;
        var address = text[..colon];
        return
            Uri.CheckHostName(address) is not UriHostNameType.Unknown
            && int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && port is > 0 and < 65536
            ? (address, port)
            : null;
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (
            System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address)
            && System.Net.IPAddress.IsLoopback(address)
        );

    [GeneratedRegex("^[a-z][a-z0-9-]{0,30}$")]
    private static partial Regex EnvironmentName();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex BackendName();
}
