using Pipeline.Components.Tests.Containers;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Deploy;

/// <summary>
/// A repository root for deploy tests: deploy/config.env with one environment, <c>ci</c>, on the rig's Podman and
/// registry behind the build's own HAProxy on <paramref name="listen"/>, a git repository, and a docker config holding
/// the rig's registry login (the pull uses what the push uses), for REGISTRY_AUTH_FILE.
/// </summary>
internal static class DeployRepository
{
    /// <returns>The docker config's path.</returns>
    public static string Prepare(
        DeployRig rig,
        string root,
        int listen,
        int canaryWeight = 20,
        string canaryWindow = "1s"
    )
    {
        Directory.CreateDirectory(Path.Combine(root, "deploy"));
        File.WriteAllText(
            Path.Combine(root, "deploy", "config.env"),
            $"""
            IMAGE_NAME=team/sample
            LOCAL_REGISTRY_PORT={rig.Registry.Port}
            DEPLOY_ENVIRONMENTS=ci
            DEPLOY_CI_HOST={rig.Podman.Endpoint}
            DEPLOY_CI_REGISTRY=local
            DEPLOY_CI_SWITCH=haproxy-local
            DEPLOY_CI_LISTEN=127.0.0.1:{listen}
            DEPLOY_CI_PORTS={FreePort.Next()},{FreePort.Next()}
            DEPLOY_CI_HEALTH_PATH=/cgi-bin/health
            DEPLOY_CI_HEALTH_TIMEOUT=10s
            DEPLOY_CI_CANARY_WEIGHT={canaryWeight}
            DEPLOY_CI_CANARY_WINDOW={canaryWindow}

            """
        );
        if (!Directory.Exists(Path.Combine(root, ".git")))
            ContainerBuildRun.InitRepository(root);
        var dockerConfig = Directory.CreateDirectory(Path.Combine(root, "docker-config")).FullName;
        var auth = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{DeployRig.User}:{DeployRig.Password}"));
        var config = new System.Text.Json.Nodes.JsonObject
        {
            ["auths"] = new System.Text.Json.Nodes.JsonObject
            {
                [rig.Registry.Host] = new System.Text.Json.Nodes.JsonObject { ["auth"] = auth },
            },
        };
        var path = Path.Combine(dockerConfig, "config.json");
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }

    /// <summary>Stops the build's HAProxy of environment ci (started by the build, it outlives it), if one
    /// runs.</summary>
    public static void StopHaproxy(string root)
    {
        var pid = Path.Combine(root, "state", "haproxy", "ci", "haproxy.pid");
        if (!File.Exists(pid) || !int.TryParse(File.ReadAllText(pid).Trim(), out var haproxy))
            return;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(haproxy);
            process.Kill();
        }
        catch (ArgumentException)
        {
            // gone already
        }
    }
}
