using System.Text.RegularExpressions;
using Pipeline.Containers.ContainerEngines;
using Pipeline.Deploy.Settings;
using K = Pipeline.Deploy.Environments.DeployEnvironmentKeys;

namespace Pipeline.Deploy.Environments;

/// <summary>
/// Reads and validates one environment's <c>DEPLOY_&lt;NAME&gt;_*</c> settings before anything is touched: one pass
/// over the table of keys (<see cref="DeployEnvironmentKeys"/>: type, range, default, required, scope), then the rules
/// between keys that a table cannot say, each a named check. Every problem is one line naming the key and where its
/// value came from; all problems are collected, not just the first.
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
        int containerPort,
        IReadOnlyList<DeployService>? services = null
    )
    {
        services ??= [];
        CheckName(name, lookup);
        var pass = new DeploySettingsPass(DeploySettings.Prefix(name), lookup, services).Check(K.All);

        var tls = TlsForTcpHostOnly(pass);
        PlainTcpOnlyOnLoopback(pass);
        var buildRunsSwitch = pass.Value(K.Switch) == K.BuildRunSwitch;
        BuildRunSwitchNeedsListen(pass, buildRunsSwitch);
        BackendIsTheServiceName(pass, services);
        var servicePorts = pass.Entries(K.Ports);
        var listens = buildRunsSwitch ? pass.Entries(K.Listen) : null;
        EachServiceHasItsOwn(
            pass,
            K.Ports,
            servicePorts?.SelectMany(e => (e.Value ?? []).Select(p => (p, e.Key))),
            "port"
        );
        EachServiceHasItsOwn(
            pass,
            K.Listen,
            listens?.Select(e => ($"{e.Value!.Value.Item1}:{e.Value.Value.Item2}", e.Key)),
            "address"
        );
        SlotsAndListenNameTheSameServices(pass, services, servicePorts, listens);

        if (pass.Problems.Count > 0)
            throw new DeployException(string.Join(Environment.NewLine, pass.Problems));
        var healthPath = pass.Value(K.HealthPath)!;
        return new DeployEnvironment
        {
            Name = name,
            Host = pass.Value(K.Host)!,
            Tls = tls,
            Registry = pass.Value(K.Registry)!,
            SwitchSocket = K.SwitchSocket(pass.Value(K.Switch)!),
            Listen = buildRunsSwitch && services.Count == 0 ? pass.Value(K.Listen) : null,
            Backend = pass.Value(K.Backend)!,
            SlotPorts = services.Count == 0 ? pass.Value(K.Ports)! : [],
            UpstreamAddress = pass.Value(K.Upstream)!,
            ContainerPort = containerPort,
            HealthPath = healthPath,
            HealthTimeout = pass.Value(K.HealthTimeout),
            CanaryWeight = pass.Value(K.CanaryWeight),
            CanaryWindow = pass.Value(K.CanaryWindow),
            CanaryMaxErrorPercent = pass.Value(K.CanaryMaxErrors),
            Keep = pass.Value(K.Keep),
            Services = services
                .Where(s => servicePorts!.ContainsKey(s.Name))
                .Select(s => new ServiceRoute(s, servicePorts![s.Name]!, listens?[s.Name], s.HealthPath ?? healthPath))
                .ToList(),
        };
    }

    // DEPLOY_ENVIRONMENTS lists the environment, and its name makes keys: anything else stops the read at once.
    private static void CheckName(string name, Func<string, DeploySetting?> lookup)
    {
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
    }

    // CERT_PATH: TLS client files for a tcp:// host, loaded now so a bad file stops the run before anything connects.
    private static ContainerEngineTlsFiles? TlsForTcpHostOnly(DeploySettingsPass pass)
    {
        if (pass.Raw(K.CertPath) is not { } certPath)
            return null;
        if (pass.Raw(K.Host) is { } host && !host.Value.StartsWith("tcp://", StringComparison.Ordinal))
            pass.Problem(
                K.CertPath,
                certPath,
                $"TLS applies to a tcp:// host only, and {pass.Key(K.Host)} is '{host.Value}'"
            );
        else if (ContainerEngineTlsFiles.Check(certPath.Value) is { } unusable)
            pass.Problem(K.CertPath, certPath, unusable);
        else
            return new ContainerEngineTlsFiles(certPath.Value);
        return null;
    }

    // Docker's API without TLS is root on that machine for anyone who can reach the port.
    private static void PlainTcpOnlyOnLoopback(DeploySettingsPass pass)
    {
        if (
            pass.Raw(K.CertPath) is null
            && pass.Raw(K.Host) is { } host
            && Uri.TryCreate(host.Value, UriKind.Absolute, out var plain)
            && plain.Scheme == "tcp"
            && !IsLoopback(plain.Host)
        )
            pass.Problem(
                K.Host,
                host,
                $"'{host.Value}' is an unauthenticated API outside loopback; set "
                    + $"{pass.Key(K.CertPath)} (TLS client certificates) "
                    + $"or forward the remote socket to 127.0.0.1 over ssh"
            );
    }

    private static void BuildRunSwitchNeedsListen(DeploySettingsPass pass, bool buildRunsSwitch)
    {
        if (buildRunsSwitch && pass.Raw(K.Listen) is null)
            pass.Problem(K.Listen, null, pass.NotSet(K.Listen));
    }

    private static void BackendIsTheServiceName(DeploySettingsPass pass, IReadOnlyList<DeployService> services)
    {
        if (services.Count > 0 && pass.Raw(K.Backend) is { } named)
            pass.Problem(
                K.Backend,
                named,
                $"in a many-service repository each service's HAProxy backend is its "
                    + $"name ({string.Join(", ", services.Select(s => s.Name))}); remove the key"
            );
    }

    // No port or listen address serves two services.
    private static void EachServiceHasItsOwn<T, TValue>(
        DeploySettingsPass pass,
        SettingKey<TValue> key,
        IEnumerable<(T Key, string Service)>? uses,
        string what
    )
    {
        if (uses?.GroupBy(u => u.Key).FirstOrDefault(g => g.Count() > 1) is { } taken)
            pass.Problem(
                key,
                pass.Raw(key),
                $"{what} {taken.Key} is given to "
                    + $"{string.Join(" and ", taken.Select(u => u.Service).Distinct())} "
                    + $"more than once; each needs its own"
            );
    }

    // With the build's own HAProxy, a service that deploys here needs both: slots and an address to be served on.
    private static void SlotsAndListenNameTheSameServices<TPorts, TListen>(
        DeploySettingsPass pass,
        IReadOnlyList<DeployService> services,
        IReadOnlyDictionary<string, TPorts>? servicePorts,
        IReadOnlyDictionary<string, TListen>? listens
    )
    {
        if (servicePorts is null || listens is null || pass.Raw(K.Listen) is not { } listen)
            return;
        foreach (
            var service in services
                .Select(s => s.Name)
                .Where(n => servicePorts.ContainsKey(n) != listens.ContainsKey(n))
        )
            pass.Problem(
                K.Listen,
                listen,
                servicePorts.ContainsKey(service)
                    ? $"no entry for service {service}, which has slots in {pass.Key(K.Ports)}"
                    : $"service {service} has no slots in {pass.Key(K.Ports)}"
            );
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (
            System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address)
            && System.Net.IPAddress.IsLoopback(address)
        );

    [GeneratedRegex("^[a-z][a-z0-9-]{0,30}$")]
    private static partial Regex EnvironmentName();
}
