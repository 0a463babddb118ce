using Pipeline.Deploy.Environments;
using Pipeline.Testing;

namespace Pipeline.Deploy.Tests.Environments;

public class DeployEnvironmentReaderTests
{
    private static readonly Dictionary<string, string> Valid = new()
    {
        ["DEPLOY_ENVIRONMENTS"] = "staging,production",
        ["DEPLOY_PRODUCTION_HOST"] = "tcp://127.0.0.1:2375",
        ["DEPLOY_PRODUCTION_REGISTRY"] = "gar",
        ["DEPLOY_PRODUCTION_SWITCH"] = "haproxy:/run/haproxy/admin.sock",
        ["DEPLOY_PRODUCTION_PORTS"] = "18081,18082",
        ["DEPLOY_PRODUCTION_HEALTH_PATH"] = "/cgi-bin/health",
        ["DEPLOY_PRODUCTION_HEALTH_TIMEOUT"] = "45s",
        ["DEPLOY_PRODUCTION_CANARY_WINDOW"] = "5m",
        ["DEPLOY_PRODUCTION_KEEP"] = "3",
    };

    private static DeployEnvironment Read(string name, Dictionary<string, string> settings) =>
        DeployEnvironmentReader.Read(
            name,
            key =>
                settings.TryGetValue(key, out var value)
                    ? new DeploySetting(value, $"deploy/config.env:{key.Length}")
                    : null,
            8080
        );

    [Fact]
    public void A_complete_environment_reads_with_defaults_for_what_is_left_out()
    {
        var environment = Read("production", Valid);

        Assert.Equal(
            ("tcp://127.0.0.1:2375", "gar", "/run/haproxy/admin.sock", "service"),
            (environment.Host, environment.Registry, environment.SwitchSocket, environment.Backend)
        );
        Assert.Equal([18081, 18082], environment.SlotPorts);
        Assert.Equal(
            (TimeSpan.FromSeconds(45), TimeSpan.FromMinutes(5), 3),
            (environment.HealthTimeout, environment.CanaryWindow, environment.Keep)
        );
        Assert.Equal(10, environment.CanaryWeight); // the default canary share
        Assert.False(environment.BuildRunsSwitch);
    }

    [Fact]
    public void Every_bad_setting_is_one_line_naming_its_key_and_source()
    {
        var bad = new Dictionary<string, string>(Valid)
        {
            ["DEPLOY_PRODUCTION_HOST"] = "http://example",
            ["DEPLOY_PRODUCTION_SWITCH"] = "nginx",
            ["DEPLOY_PRODUCTION_PORTS"] = "18081,18081",
            ["DEPLOY_PRODUCTION_CANARY_WEIGHT"] = "150",
            ["DEPLOY_PRODUCTION_HEALTH_TIMEOUT"] = "soon",
            ["DEPLOY_PRODUCTION_HEALTH_PATH"] = "health",
        };
        bad.Remove("DEPLOY_PRODUCTION_REGISTRY");

        var error = Assert.Throws<DeployException>(() => Read("production", bad));

        var lines = error.Message.Split(Environment.NewLine);
        Assert.Equal(7, lines.Length);
        Assert.Contains(
            "DEPLOY_PRODUCTION_HOST (deploy/config.env:22): 'http://example' "
                + "is not unix:///path/to.sock, tcp://host:port or 'podman'",
            lines
        );
        Assert.Contains(
            "DEPLOY_PRODUCTION_REGISTRY: not set; the registry the environment pulls from: gar, ghcr or local",
            lines
        );
        Assert.Contains(
            lines,
            l =>
                l.StartsWith(
                    "DEPLOY_PRODUCTION_SWITCH (deploy/config.env:24): 'nginx' is not",
                    StringComparison.Ordinal
                )
        );
        Assert.Contains(
            lines,
            l =>
                l.StartsWith(
                    "DEPLOY_PRODUCTION_PORTS (deploy/config.env:23): '18081,18081' is not two different ports",
                    StringComparison.Ordinal
                )
        );
        Assert.Contains(
            lines,
            l =>
                l.StartsWith(
                    "DEPLOY_PRODUCTION_CANARY_WEIGHT (deploy/config.env:31): '150' is not a percentage",
                    StringComparison.Ordinal
                )
        );
        Assert.Contains(
            lines,
            l =>
                l.StartsWith(
                    "DEPLOY_PRODUCTION_HEALTH_TIMEOUT (deploy/config.env:32): 'soon' is not a duration",
                    StringComparison.Ordinal
                )
        );
        Assert.Contains(
            lines,
            l =>
                l.StartsWith(
                    "DEPLOY_PRODUCTION_HEALTH_PATH (deploy/config.env:29): 'health' is not an absolute URL path",
                    StringComparison.Ordinal
                )
        );
    }

    [Theory]
    [InlineData("tcp://10.20.0.5:2375")]
    [InlineData("tcp://deploy-host.internal:2375")]
    [InlineData("tcp://0.0.0.0:2375")]
    public void An_unauthenticated_tcp_host_outside_loopback_is_refused(string host)
    {
        var error = Assert.Throws<DeployException>(() =>
            Read("production", new Dictionary<string, string>(Valid) { ["DEPLOY_PRODUCTION_HOST"] = host })
        );

        Assert.Equal(
            $"DEPLOY_PRODUCTION_HOST (deploy/config.env:22): '{host}' is an "
                + $"unauthenticated API outside loopback; set DEPLOY_PRODUCTION_CERT_PATH (TLS "
                + $"client certificates) or forward the remote socket to 127.0.0.1 over ssh",
            error.Message
        );
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:2375")]
    [InlineData("tcp://localhost:2375")]
    [InlineData("tcp://[::1]:2375")]
    public void A_tcp_host_on_loopback_needs_no_TLS(string host) =>
        Assert.Equal(
            host,
            Read("production", new Dictionary<string, string>(Valid) { ["DEPLOY_PRODUCTION_HOST"] = host }).Host
        );

    [Fact]
    public void An_unknown_environment_names_the_known_ones()
    {
        var error = Assert.Throws<DeployException>(() => Read("prod", Valid));

        Assert.Equal(
            "deploy environment 'prod' is not one of staging, production (DEPLOY_ENVIRONMENTS, deploy/config.env:19)",
            error.Message
        );
    }

    [Fact]
    public void A_build_run_switch_needs_a_listen_address()
    {
        var local = new Dictionary<string, string>(Valid) { ["DEPLOY_PRODUCTION_SWITCH"] = "haproxy-local" };

        var error = Assert.Throws<DeployException>(() => Read("production", local));

        Assert.Equal(
            "DEPLOY_PRODUCTION_LISTEN: not set; where the build's HAProxy serves the service, e.g. 127.0.0.1:8480",
            error.Message
        );
        local["DEPLOY_PRODUCTION_LISTEN"] = "127.0.0.1:8480";
        Assert.Equal(("127.0.0.1", 8480), Read("production", local).Listen);
    }

    [Fact]
    public void TLS_files_for_a_tcp_host_are_checked_before_anything_connects()
    {
        using var temp = new TempFolder("pipeline-deploy-certs-");
        var folder = temp.Path;

        File.WriteAllText(Path.Combine(folder, "ca.pem"), "not a certificate");
        var settings = new Dictionary<string, string>(Valid) { ["DEPLOY_PRODUCTION_CERT_PATH"] = folder };

        var missing = Assert.Throws<DeployException>(() => Read("production", settings));
        Assert.Equal(
            $"DEPLOY_PRODUCTION_CERT_PATH (deploy/config.env:27): cert.pem, key.pem "
                + $"missing in {folder} (TLS to the host needs ca.pem, cert.pem and key.pem)",
            missing.Message
        );

        File.WriteAllText(Path.Combine(folder, "cert.pem"), "not a certificate");
        File.WriteAllText(Path.Combine(folder, "key.pem"), "not a key");
        var unreadable = Assert.Throws<DeployException>(() => Read("production", settings));
        Assert.StartsWith(
            $"DEPLOY_PRODUCTION_CERT_PATH (deploy/config.env:27): cannot load the TLS files in {folder}: ",
            unreadable.Message,
            StringComparison.Ordinal
        );
        Assert.DoesNotContain('\n', unreadable.Message);

        settings["DEPLOY_PRODUCTION_HOST"] = "unix:///run/podman/podman.sock";
        var socket = Assert.Throws<DeployException>(() => Read("production", settings));
        Assert.Equal(
            "DEPLOY_PRODUCTION_CERT_PATH (deploy/config.env:27): TLS applies to a tcp:// "
                + "host only, and DEPLOY_PRODUCTION_HOST is 'unix:///run/podman/podman.sock'",
            socket.Message
        );

        settings["DEPLOY_PRODUCTION_HOST"] = "tcp://127.0.0.1:2376";
        settings["DEPLOY_PRODUCTION_CERT_PATH"] = "certs/production";
        var relative = Assert.Throws<DeployException>(() => Read("production", settings));
        Assert.StartsWith(
            "DEPLOY_PRODUCTION_CERT_PATH (deploy/config.env:27): 'certs/production' is not an absolute path",
            relative.Message,
            StringComparison.Ordinal
        );
    }
}
