using System.Globalization;
using System.Text.RegularExpressions;
using Pipeline.Deploy.Settings;
using static Pipeline.Deploy.Settings.SettingTypes;

namespace Pipeline.Deploy.Environments;

/// <summary>
/// The table of <c>DEPLOY_&lt;ENV&gt;_*</c> keys: per key its type, default, whether it is required, its scope and what
/// it means. <see cref="DeployEnvironmentReader"/> validates every row the same way and takes defaults from here only;
/// rules between keys (TLS only for a tcp:// host, LISTEN with haproxy-local, one entry per service) follow as named
/// checks there.
/// </summary>
public static partial class DeployEnvironmentKeys
{
    public static readonly SettingKey<string?> Host = new(
        DeploySettings.Host,
        "the container host's API",
        new("unix:///path/to.sock, tcp://host:port or 'podman'", t => (IsHost(t), t))
    )
    {
        Required = true,
        Example = $"unix:///run/podman/podman.sock, tcp://127.0.0.1:2375 or '{DeployEnvironment.PrivatePodman}'",
    };

    public static readonly SettingKey<string?> CertPath = new(
        DeploySettings.CertPath,
        "for a tcp:// host served over TLS: an absolute folder holding ca.pem, cert.pem and key.pem",
        Text
    );

    public static readonly SettingKey<string?> Registry = new(
        DeploySettings.Registry,
        "the registry the environment pulls from: gar, ghcr or local",
        OneOf("gar", "ghcr", "local")
    )
    {
        Required = true,
    };

    /// <summary>The value of <see cref="Switch"/> that has the build run its own HAProxy.</summary>
    public const string BuildRunSwitch = "haproxy-local";

    private const string SocketSwitch = "haproxy:";

    public static readonly SettingKey<string?> Switch = new(
        DeploySettings.Switch,
        "haproxy:/path/to/admin.sock (HAProxy's runtime API) or haproxy-local (the build runs one)",
        new(
            "haproxy:/absolute/path/to/admin.sock or haproxy-local",
            t =>
                (
                    t == BuildRunSwitch
                        || (t.StartsWith(SocketSwitch, StringComparison.Ordinal) && Path.IsPathRooted(t[8..])),
                    t
                )
        )
    )
    {
        Required = true,
    };

    public static readonly SettingKey<(string Address, int Port)?> Listen = new(
        DeploySettings.Listen,
        "where the build's HAProxy serves the service",
        new("address:port", t => ParseEndpoint(t) is { } endpoint ? (true, endpoint) : (false, null))
    )
    {
        Scope = SettingScope.EnvironmentPerService,
        Example = "127.0.0.1:8480",
        PerServiceDescription = "where the build's HAProxy serves each service",
        PerServiceExample = i => $"127.0.0.1:{8480 + i}",
    };

    public static readonly SettingKey<string?> Backend = new(
        DeploySettings.Backend,
        "the HAProxy backend holding servers a and b (many services: each service's name)",
        Matching(BackendName(), "an HAProxy backend name (letters, digits, '-', '_', '.')")
    )
    {
        Default = "service",
    };

    public static readonly SettingKey<int[]?> Ports = new(
        DeploySettings.Ports,
        "the two host ports of slots a and b",
        new("two different ports (1-65535)", t => SlotPair(t) is { } pair ? (true, pair) : (false, null))
        {
            Format = p => string.Join(',', p ?? []),
        }
    )
    {
        Required = true,
        Scope = SettingScope.EnvironmentPerService,
        Example = "18081,18082",
        PerServiceDescription = "each service's two host ports (slots a and b)",
        PerServiceExample = i => $"{18081 + (2 * i)},{18082 + (2 * i)}",
        Expected = "two different ports (1-65535), e.g. 18081,18082",
    };

    public static readonly SettingKey<string?> Upstream = new(
        DeploySettings.Upstream,
        "the address HAProxy and the health check reach the slot ports at",
        new("a host name or address", t => (Uri.CheckHostName(t) is not UriHostNameType.Unknown, t))
    )
    {
        Default = "127.0.0.1",
    };

    public static readonly SettingKey<string?> HealthPath = new(
        DeploySettings.HealthPath,
        "the path that must answer 2xx within HEALTH_TIMEOUT",
        UrlPath("an absolute URL path such as /health")
    )
    {
        Default = "/health",
    };

    public static readonly SettingKey<TimeSpan> HealthTimeout = new(
        DeploySettings.HealthTimeout,
        "how long green has to become healthy",
        Duration(TimeSpan.FromHours(1))
    )
    {
        Default = TimeSpan.FromSeconds(30),
    };

    public static readonly SettingKey<int> CanaryWeight = new(
        DeploySettings.CanaryWeight,
        "percent of traffic green takes first; 0 switches at once",
        Whole(0, 100)
    )
    {
        Default = 10,
        Expected = "a percentage of traffic, 0 (switch at once) to 100",
    };

    public static readonly SettingKey<TimeSpan> CanaryWindow = new(
        DeploySettings.CanaryWindow,
        "how long green is watched at CANARY_WEIGHT before it takes all traffic",
        Duration(TimeSpan.FromHours(1))
    )
    {
        Default = TimeSpan.FromSeconds(60),
    };

    public static readonly SettingKey<int> CanaryMaxErrors = new(
        DeploySettings.CanaryMaxErrors,
        "percent of green's responses in the window that may fail before it is rolled back",
        Whole(0, 100)
    )
    {
        Default = 1,
        Expected = "a percentage of green's responses",
    };

    public static readonly SettingKey<int> Keep = new(
        DeploySettings.Keep,
        "stopped previous releases kept for instant rollback",
        Whole(1, 20)
    )
    {
        Default = 2,
        Expected = "how many stopped previous releases stay for rollback, 1 to 20",
    };

    public static readonly SettingKey<string?> RunsOn = new(
        DeploySettings.RunsOn,
        "runner labels of the environment's own machine (the generated workflows' Deploy jobs; not read by Deploy)",
        Text
    );

    /// <summary>Every key, in the order problems are reported and docs list them.</summary>
    public static readonly IReadOnlyList<SettingKey> All =
    [
        Host,
        CertPath,
        Registry,
        Switch,
        Listen,
        Backend,
        Ports,
        Upstream,
        HealthPath,
        HealthTimeout,
        CanaryWeight,
        CanaryWindow,
        CanaryMaxErrors,
        Keep,
        RunsOn,
    ];

    /// <summary>The socket of a <c>haproxy:/path</c> switch; null for <see cref="BuildRunSwitch"/>.</summary>
    internal static string? SwitchSocket(string value) => value == BuildRunSwitch ? null : value[SocketSwitch.Length..];

    private static bool IsHost(string text) =>
        text == DeployEnvironment.PrivatePodman
        || (
            Uri.TryCreate(text, UriKind.Absolute, out var uri)
            && uri.Scheme is "unix" or "tcp"
            && (uri.Scheme != "tcp" || uri.Port > 0)
        );

    internal static int[]? SlotPair(string text)
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

    internal static (string, int)? ParseEndpoint(string text)
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

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex BackendName();
}
