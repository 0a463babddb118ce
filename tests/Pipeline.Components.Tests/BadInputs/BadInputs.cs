using Pipeline.Testing;

namespace Pipeline.Components.Tests.BadInputs;

/// <summary>
/// The table: at least one row per class of bad input (config file, parameter files, command line, environment,
/// image reference, tag, key file, registry answer, GitHub API address). Rows are named so a failure says which.
/// </summary>
internal static class BadInputs
{
    public static readonly BadInput[] All =
    [
        BadInput.ConfigLines("config.env unknown key", "IMAGE_NAM=svc\n", "deploy/config.env:1", "IMAGE_NAME"),
        BadInput.ConfigLines(
            "config.env duplicate key",
            "GAR_PROJECT=a\nGAR_PROJECT=b\n",
            "deploy/config.env:2",
            "GAR_PROJECT"
        ),
        BadInput.ConfigLines(
            "config.env value of the wrong type",
            "LOCAL_REGISTRY_PORT=many\n",
            "deploy/config.env:1",
            "many"
        ),
        BadInput.ConfigLines(
            "config.env service setting that does not exist",
            "SERVICE_NAMES=svc\nSERVICE_SVC_CONTEXTT=svc\n",
            "deploy/config.env:2",
            "SERVICE_SVC_CONTEXTT"
        ),
        BadInput.ConfigLines(
            "config.env service listed twice",
            "SERVICE_NAMES=svc,svc\n",
            "deploy/config.env:1",
            "'svc' is listed twice"
        ),
        new("parameters.json trailing content", 2, ".nuke/parameters.json", "")
        {
            Arrange = rig => BadInput.Committed(rig, ".nuke/parameters.json", "{ \"ImageName\": \"svc\" } }"),
        },
        new("port out of range on the command line", 2, "--local-registry-port", "70000")
        {
            Arguments = ["--local-registry-port", "70000"],
        },
        new("option misuse on the command line", 2, "--verbosity", "") { Arguments = ["--verbosity", "a", "b"] },
        new("root that does not exist", 2, "--root", "/missing/pipeline-root")
        {
            Arguments = ["--root", "/missing/pipeline-root"],
        },
        BadInput.Environment(
            "port out of range in the environment",
            "LOCAL_REGISTRY_PORT",
            "-3",
            "LOCAL_REGISTRY_PORT",
            "-3"
        ),
        new("image name that is no repository", 2, "--image-name", "Svc//Upper")
        {
            Arguments = ["--image-name", "Svc//Upper"],
        },
        new("tag that is no tag", 2, "--image-tags", "v1@bad") { Arguments = ["--image-tags", "v1@bad"] },
        new("registry host that is no host", 2, "--gar-host", "gar..example:99999")
        {
            Arguments = ["--gar-host", "gar..example:99999"],
        },
        new("GitHub API address that is no address", 2, "--github-api-url", "htps//github.example")
        {
            Arguments = ["--github-api-url", "htps//github.example"],
        },
        new("release time zone that does not exist", 2, "--release-time-zone", "Mars/Olympus")
        {
            Arguments = ["--release-time-zone", "Mars/Olympus"],
        },
        BadInput.Environment(
            "service-account key of the wrong JSON shape",
            "GCP_SA_KEY",
            "{\"type\":\"service_account\",\"client_email\":42}",
            "GCP_SA_KEY",
            ""
        ),
        BadInput.Environment(
            "signing key file that cannot be read",
            "SIGNING_KEY",
            "{outside}/missing/signing.pem",
            "SIGNING_KEY",
            "nor an existing file"
        ),
        BadInput.Environment(
            "signing key PEM that is not a key",
            "SIGNING_KEY",
            "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n",
            "SIGNING_KEY",
            ""
        ),
        BadInput.Services(
            "service tag prefix that is no tag",
            "SERVICE_NAMES=api,web\nSERVICE_API_TAG_PREFIX=api/\nSERVICE_WEB_TAG_PREFIX=web-\n",
            "deploy/config.env:2",
            "is not a tag prefix"
        ),
        BadInput.Services(
            "service tag prefix on some services only",
            "SERVICE_NAMES=api,web\nSERVICE_WEB_TAG_PREFIX=web-\n",
            "deploy/config.env:2",
            "not for api"
        ),
        BadInput.Registry(Sickness.ServerErrors, "503"),
        BadInput.Registry(Sickness.Garbage, ""),
        BadInput.Registry(Sickness.HeadersThenSilence, ""),
        // Issue 22: one command-line grammar, secrets in names, and inputs that crashed, misled or did nothing.
        new("a switch given a value it does not understand", 2, "--no-cache", "is a switch")
        {
            Arguments = ["--no-cache", "maybe"],
        },
        new("a plan with a word after it that is no target", 2, "--plan", "is a switch")
        {
            Arguments = ["--plan", "please"],
        },
        new("a public image tag that holds the token", 2, "--image-tags", "contains a secret")
        {
            Arguments = ["--image-tags", "v1-" + ReleaseRig.Canary],
        },
        new(
            "credentials inside the cache registry",
            2,
            "--cache-registry",
            "credentials (user:password@) in the value are refused and not shown"
        )
        {
            Arguments = ["--cache-registry", "ci:pw-secret-4242@registry.example/cache"],
        },
        new("cache registry with a port that is no port", 2, "--cache-registry", "is not a registry host")
        {
            Arguments = ["--cache-registry", "registry.example:99999/cache"],
        },
        new("release time zone that is a region, not a zone", 2, "--release-time-zone", "unknown time zone 'Europe'")
        {
            Arguments = ["--release-time-zone", "Europe"],
        },
        new("release time zone that is a path", 2, "--release-time-zone", "unknown time zone")
        {
            Arguments = ["--release-time-zone", "../../../etc/passwd"],
        },
        new(
            "GitHub event file with a number where an object belongs",
            2,
            "GITHUB_EVENT_PATH",
            "pull_request.head is a number, expected an object"
        )
        {
            Arrange = rig => BadInput.GitHubEvent(rig, """{ "pull_request": { "number": 3, "head": 5 } }"""),
        },
        new(
            "GitHub event file with a string where a number belongs",
            2,
            "GITHUB_EVENT_PATH",
            "pull_request.number is a string"
        )
        {
            Arrange = rig => BadInput.GitHubEvent(rig, """{ "pull_request": { "number": "3" } }"""),
        },
        new("GITHUB_OUTPUT in a folder that does not exist", 2, "GITHUB_OUTPUT", "its folder does not exist")
        {
            Arrange = async rig =>
            {
                await BadInput.GitHubEvent(rig, """{ "before": "0000000000000000000000000000000000000000" }""", "push");
                return await BadInput.Set(rig, "GITHUB_OUTPUT", "{outside}/missing/output.txt");
            },
        },
        BadInput.Services(
            "service input glob with a syntax globs do not have",
            "SERVICE_NAMES=api,web\nSERVICE_API_INPUTS=deploy/services/[ab]pi/**\n",
            "deploy/config.env:2",
            "SERVICE_API_INPUTS: 'deploy/services/[ab]pi/**' uses [ ] { }"
        ),
        BadInput.Services(
            "SERVICE_NAMES emptied while service rows remain",
            "SERVICE_NAMES=\nSERVICE_API_CONTEXT=deploy/services/api\n",
            "deploy/config.env:2",
            "SERVICE_NAMES is empty or missing"
        ),
        new("an empty service list on the command line", 2, "--services", "needs at least one value")
        {
            Arguments = ["--services", ""],
        },
        new("a plan of a broken service configuration", 2, "deploy/config.env:1", "'api' is listed twice")
        {
            Arguments = ["--plan"],
            Arrange = rig =>
            {
                rig.Commit("deploy/services/api/Containerfile", "FROM scratch\n");
                return BadInput.Committed(rig, "deploy/config.env", "SERVICE_NAMES=api,api\n");
            },
        },
        new("a base ref that names nothing", 2, "--base-ref", "no commit, branch or tag of that name")
        {
            Arguments = ["AffectedServices", "--base-ref", "no-such-branch"],
            Arrange = rig =>
            {
                foreach (var service in new[] { "api", "web" })
                    rig.Commit($"deploy/services/{service}/Containerfile", "FROM scratch\n");
                return BadInput.Committed(rig, "deploy/config.env", "SERVICE_NAMES=api,web\n");
            },
        },
        new("an age that is no age", 2, "--prune-older-than", "'5x' is not an age")
        {
            Arguments = ["Prune", "--prune-older-than", "5x"],
        },
        new("a source date before 1970", 2, "--source-date-epoch", "-1 is outside")
        {
            Arguments = ["BuildImage", "--source-date-epoch", "-1"],
        },
        new("an empty GHCR host, blamed on the host", 2, "GHCR_HOST", "is not set")
        {
            Arguments = ["--registries-release", "ghcr", "--ghcr-owner", "octo-org", "--ghcr-host", ""],
        },
        new("a destination list with a name that does not exist", 2, "--registries-pr", "unknown destination 'nosuch'")
        {
            Arguments = ["--registries-pr", "ghcr,nosuch"],
        },
        new(
            "a container name from IMAGE_NAME, blamed on IMAGE_NAME",
            2,
            "--image-name",
            "(the default of DEPLOY_SERVICE): 'Svc' is not a service name"
        )
        {
            Arguments = ["Rollback", "--image-name", "Svc"],
        },
        new("a rollback to a digest that is no digest", 2, "--to", "digest 'sha256:12345'")
        {
            Arguments = ["Rollback", "--to", "sha256:12345"],
        },
        BadInput.Environment(
            "signing key that is a public key",
            "SIGNING_KEY",
            System
                .Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256)
                .ExportSubjectPublicKeyInfoPem(),
            "SIGNING_KEY",
            "is a public key"
        ),
        // Issue 23: refusals a security review asked for.
        new(
            "a deploy host that is an unauthenticated Docker API outside loopback",
            2,
            "deploy/config.env:2",
            "'tcp://10.20.0.5:2375' is an unauthenticated API outside loopback"
        )
        {
            Arguments = ["Deploy", "--deploy-environment", "staging"],
            Arrange = rig =>
                BadInput.Committed(
                    rig,
                    "deploy/config.env",
                    "DEPLOY_ENVIRONMENTS=staging\nDEPLOY_STAGING_HOST=tcp://10.20.0."
                        + "5:2375\nDEPLOY_STAGING_REGISTRY=gar\nDEPLOY_STAGING_SWITCH=hapro"
                        + "xy:/run/haproxy/staging.sock\nDEPLOY_STAGING_PORTS=18081,18082\n"
                ),
        },
        new(
            "deploy runner labels that are no labels, when generating workflows",
            2,
            "DEPLOY_STAGING_RUNS_ON (deploy/config.env:2)",
            "is not a list of runner labels"
        )
        {
            Arguments = ["--generate-workflows"],
            Arrange = rig =>
                BadInput.Committed(
                    rig,
                    "deploy/config.env",
                    "DEPLOY_ENVIRONMENTS=staging\nDEPLOY_STAGING_RUNS_ON=self-hosted,,staging\n"
                ),
        },
        // Issue 25: ranges declared once on [Parameter] (Min, Max) and checked by the engine for every target.
        new("a registry timeout out of range", 2, "--registry-timeout", "0 is outside 1–3600 seconds")
        {
            Arguments = ["PushGhcr", "--registry-timeout", "0"],
        },
        BadInput.Environment(
            "a service build concurrency out of range in the environment",
            "SERVICE_BUILD_CONCURRENCY",
            "9",
            "SERVICE_BUILD_CONCURRENCY",
            "9 is outside 1–4"
        ),
        new("a registry retry count out of range", 2, "--registry-retries", "101 is outside 0–100")
        {
            Arguments = ["PushGhcr", "--registry-retries", "101"],
        },
        // Issue 20: `pipeline setup` in a repository it cannot set up; it writes nothing (the clone's tree stays
        // clean).
        BadInput.Setup(
            "setup in a folder that is not a git repository",
            "{outside}",
            "is not a git repository",
            inOutside: true
        ),
        BadInput.Setup(
            "setup over a build/ of another kind",
            "build/",
            "already holds a build of another kind",
            rig => rig.Commit("build/build.cake", "Task(\"Default\");\n")
        ),
        BadInput.Setup(
            "setup with a Containerfile that does not parse",
            "Containerfile:2",
            "'COPPY' is not a Containerfile instruction",
            rig => rig.Commit("Containerfile", "FROM scratch\nCOPPY app /app\n")
        ),
        BadInput.Setup("setup in a read-only folder", "{clone}", "is read-only", readOnly: true),
        // Issue 27: platforms of multi-arch images, refused before anything is built or pushed.
        BadInput.Services(
            "service platform that is malformed",
            "SERVICE_NAMES=api,web\nSERVICE_API_PLATFORMS=linux/amd64,linux/arm65\n",
            "deploy/config.env:2",
            "SERVICE_API_PLATFORMS (service api): 'linux/arm65': unknown architecture 'arm65'"
        ),
        BadInput.Services(
            "service platform without its OS",
            "SERVICE_NAMES=api,web\nSERVICE_WEB_PLATFORMS=linux/amd64,arm64\n",
            "deploy/config.env:2",
            "SERVICE_WEB_PLATFORMS (service web): 'arm64' has no OS; write it as os/arch, e.g. linux/arm64"
        ),
        new("image platform that is malformed", 2, "--image-platforms", "'linux/arm65': unknown architecture 'arm65'")
        {
            Arguments = ["BuildImage", "--image-platforms", "linux/amd64,linux/arm65"],
        },
        new(
            "image platforms in the environment with an unknown OS",
            2,
            "IMAGE_PLATFORMS",
            "'darwin/arm64': unknown OS 'darwin'"
        )
        {
            Arguments = ["BuildImage"],
            Arrange = rig => BadInput.Set(rig, "IMAGE_PLATFORMS", "linux/amd64,darwin/arm64"),
        },
        new("image platform listed twice under another name", 2, "--image-platforms", "'linux/x86_64' is listed twice")
        {
            Arguments = ["BuildImage", "--image-platforms", "linux/amd64,linux/x86_64"],
        },
        BadInput.Services(
            "service platform with a variant its architecture does not have",
            "SERVICE_NAMES=api,web\nSERVICE_API_PLATFORMS=linux/arm64,linux/arm/v9\n",
            "deploy/config.env:2",
            "SERVICE_API_PLATFORMS (service api): 'linux/arm/v9': unknown variant 'v9' of arm"
        ),
    ];
}
