using Pipeline.Deploy.Environments;

namespace Pipeline.Deploy.Tests.Environments;

/// <summary>PORTS and LISTEN in a many-service repository: a <c>name=value</c> entry per service that deploys there,
/// every mistake one line naming key and source.</summary>
public class ServiceRoutesTests
{
    private static readonly DeployService[] Services = [new("api", 8080, "/health"), new("web", 9090, null)];

    private static readonly Dictionary<string, string> Valid = new()
    {
        ["DEPLOY_ENVIRONMENTS"] = "local",
        ["DEPLOY_LOCAL_HOST"] = "podman",
        ["DEPLOY_LOCAL_REGISTRY"] = "local",
        ["DEPLOY_LOCAL_SWITCH"] = "haproxy-local",
        ["DEPLOY_LOCAL_LISTEN"] = "api=127.0.0.1:8480 web=127.0.0.1:8481",
        ["DEPLOY_LOCAL_PORTS"] = "api=18081,18082  web=18083,18084",
        ["DEPLOY_LOCAL_HEALTH_PATH"] = "/cgi-bin/health",
    };

    private static DeployEnvironment Read(Dictionary<string, string> settings) =>
        DeployEnvironmentReader.Read(
            "local",
            key => settings.TryGetValue(key, out var value) ? new DeploySetting(value, "deploy/config.env:7") : null,
            8080,
            Services
        );

    [Fact]
    public void Each_service_gets_its_slots_backend_listen_address_port_and_health_path()
    {
        var environment = Read(Valid);

        var api = environment.ForService("api");
        var web = environment.ForService("web");
        Assert.Equal([18081, 18082], api.SlotPorts);
        Assert.Equal(
            ("api", ("127.0.0.1", 8480), 8080, "/health"),
            (api.Backend, api.Listen!.Value, api.ContainerPort, api.HealthPath)
        );
        Assert.Equal([18083, 18084], web.SlotPorts);
        Assert.Equal(
            ("web", ("127.0.0.1", 8481), 9090, "/cgi-bin/health"),
            (web.Backend, web.Listen!.Value, web.ContainerPort, web.HealthPath)
        );
        Assert.Equal(2, web.Services.Count); // the build-run HAProxy serves every service, whichever one is deploying
    }

    [Fact]
    public void A_service_without_an_entry_does_not_deploy_to_that_environment()
    {
        var environment = Read(
            new Dictionary<string, string>(Valid)
            {
                ["DEPLOY_LOCAL_PORTS"] = "web=18083,18084",
                ["DEPLOY_LOCAL_LISTEN"] = "web=127.0.0.1:8481",
            }
        );

        Assert.Equal(["web"], environment.Services.Select(r => r.Service.Name));
        var error = Assert.Throws<DeployException>(() => environment.ForService("api"));
        Assert.Equal(
            "service api has no entry in DEPLOY_LOCAL_PORTS, so it cannot "
                + "deploy to local; give it two slot ports there (api=PORT_A,PORT_B)",
            error.Message
        );
    }

    [Theory]
    [InlineData(
        "DEPLOY_LOCAL_PORTS",
        "18081,18082",
        "DEPLOY_LOCAL_PORTS (deploy/config.env:7): '18081,18082' is not service=value: a "
            + "many-service repository gives each service its own, e.g. api=18081,18082 web=18083,18084"
    )]
    [InlineData(
        "DEPLOY_LOCAL_PORTS",
        "api=18081,18082 billing=18083,18084",
        "DEPLOY_LOCAL_PORTS (deploy/config.env:7): 'billing' is not a service of SERVICE_NAMES (api, web)"
    )]
    [InlineData(
        "DEPLOY_LOCAL_PORTS",
        "api=18081,18082",
        "DEPLOY_LOCAL_LISTEN (deploy/config.env:7): service web has no slots in DEPLOY_LOCAL_PORTS"
    )]
    [InlineData(
        "DEPLOY_LOCAL_LISTEN",
        "api=127.0.0.1:8480",
        "DEPLOY_LOCAL_LISTEN (deploy/config.env:7): no entry for service web, which has slots in DEPLOY_LOCAL_PORTS"
    )]
    [InlineData(
        "DEPLOY_LOCAL_PORTS",
        "api=18081,18082 web=18083",
        "DEPLOY_LOCAL_PORTS (deploy/config.env:7): web: '18083' is not two different ports (1-65535)"
    )]
    [InlineData(
        "DEPLOY_LOCAL_PORTS",
        "api=18081,18082 web=18082,18083",
        "DEPLOY_LOCAL_PORTS (deploy/config.env:7): port 18082 is "
            + "given to api and web more than once; each needs its own"
    )]
    [InlineData(
        "DEPLOY_LOCAL_PORTS",
        "api=18081,18082 api=18083,18084",
        "DEPLOY_LOCAL_PORTS (deploy/config.env:7): service api is given twice"
    )]
    [InlineData(
        "DEPLOY_LOCAL_LISTEN",
        "api=127.0.0.1:8480 web=127.0.0.1:8480",
        "DEPLOY_LOCAL_LISTEN (deploy/config.env:7): address 127.0.0.1:8480 "
            + "is given to api and web more than once; each needs its own"
    )]
    [InlineData(
        "DEPLOY_LOCAL_LISTEN",
        "api=127.0.0.1 web=127.0.0.1:8481",
        "DEPLOY_LOCAL_LISTEN (deploy/config.env:7): api: '127.0.0.1' is not address:port"
    )]
    [InlineData(
        "DEPLOY_LOCAL_BACKEND",
        "site",
        "DEPLOY_LOCAL_BACKEND (deploy/config.env:7): in a many-service repository "
            + "each service's HAProxy backend is its name (api, web); remove the key"
    )]
    public void A_wrong_entry_is_one_line_naming_the_key_and_its_source(string key, string value, string expected)
    {
        var error = Assert.Throws<DeployException>(() => Read(new Dictionary<string, string>(Valid) { [key] = value }));

        Assert.Equal(expected, error.Message);
    }
}
