namespace Pipeline.Deploy.Environments;

/// <summary>The per-environment keys, each read as <c>DEPLOY_&lt;NAME&gt;_&lt;setting&gt;</c> (deploy/config.env
/// documents them).</summary>
public static class DeploySettings
{
    public const string Host = "HOST";
    public const string CertPath = "CERT_PATH";
    public const string Registry = "REGISTRY";
    public const string Switch = "SWITCH";
    public const string Listen = "LISTEN";
    public const string Backend = "BACKEND";
    public const string Ports = "PORTS";
    public const string Upstream = "UPSTREAM";
    public const string HealthPath = "HEALTH_PATH";
    public const string HealthTimeout = "HEALTH_TIMEOUT";
    public const string CanaryWeight = "CANARY_WEIGHT";
    public const string CanaryWindow = "CANARY_WINDOW";
    public const string CanaryMaxErrors = "CANARY_MAX_ERRORS";
    public const string Keep = "KEEP";

    /// <summary>Runner labels of the environment's own machine, read by the workflow generator (not by Deploy
    /// itself).</summary>
    public const string RunsOn = "RUNS_ON";

    /// <summary>Every key of the table (<see cref="DeployEnvironmentKeys.All"/>), in its order.</summary>
    public static readonly IReadOnlyList<string> All = [.. DeployEnvironmentKeys.All.Select(k => k.Name)];

    /// <summary><c>DEPLOY_STAGING_</c> for <c>staging</c>, <c>DEPLOY_BLUE_SKY_</c> for <c>blue-sky</c>.</summary>
    public static string Prefix(string environment) => $"DEPLOY_{environment.ToUpperInvariant().Replace('-', '_')}_";
}
